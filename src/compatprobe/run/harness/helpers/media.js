// Media helpers: tracks and streams made without devices (a canvas, an AudioContext), with
// getUserMedia on fake devices only as a fallback.
//
// A track that only has to exist is silent or still. `{ live: true }` makes one whose source
// keeps producing (an oscillator; a canvas repainted 20 times a second): a connection carries
// frames only when there are some, and a remote track unmutes only when they arrive. A live
// video track is the one to rely on: a browser whose autoplay policy holds back an AudioContext
// made without a user gesture (Chrome under chromedriver) keeps the oscillator silent.
helper("media", ({ win, t, cleanup }) => {
  function own(track) {
    cleanup(() => track.stop());
    return track;
  }
  return {
    // Tracks are the probe's preparation: when none can be made, the outcome is a setup error.
    // `live`: a source that keeps producing (a repainted canvas, an oscillator), for media that must flow.
    videoTrack({ live = false } = {}) {
      return t.setup("make a video track", () => makeVideo(live));
    },

    audioTrack({ live = false } = {}) {
      return t.setup("make an audio track", () => makeAudio(live));
    },

    async stream({ audio = true, video = true, live = false } = {}) {
      const tracks = [];
      if (audio) tracks.push(await t.audioTrack({ live }));
      if (video) tracks.push(await t.videoTrack({ live }));
      return new win.MediaStream(tracks);
    },
  };


  async function makeVideo(live) {
    try {
      const canvas = win.document.createElement("canvas");
      canvas.width = canvas.height = 16;
      const g = canvas.getContext("2d");
      g.fillRect(0, 0, 16, 16);
      const track = canvas.captureStream(live ? undefined : 1).getVideoTracks()[0];
      if (track) {
        if (live) {
          let frame = 0;
          const timer = setInterval(() => {
            g.fillStyle = frame++ % 2 ? "#000" : "#fff";
            g.fillRect(0, 0, 16, 16);
          }, 50);
          cleanup(() => clearInterval(timer));
        }
        return own(track);
      }
    } catch (_) { /* fall through */ }
    return own((await win.navigator.mediaDevices.getUserMedia({ video: true })).getVideoTracks()[0]);
  }

  async function makeAudio(live) {
    try {
      const ctx = new win.AudioContext();
      cleanup(() => ctx.close());
      const destination = ctx.createMediaStreamDestination();
      if (live) {
        const oscillator = ctx.createOscillator();
        oscillator.connect(destination);
        oscillator.start();
        // A context made without a user gesture may start suspended; it produces nothing then.
        ctx.resume().catch(() => {});
      }
      const track = destination.stream.getAudioTracks()[0];
      if (track) return own(track);
    } catch (_) { /* fall through */ }
    return own((await win.navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks()[0]);
  }
});
