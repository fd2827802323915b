// Media helpers: tracks and streams made without devices (a canvas, an AudioContext), with
// getUserMedia on fake devices only as a fallback.
helper("media", ({ win, t, cleanup }) => {
  function own(track) {
    cleanup(() => track.stop());
    return track;
  }
  return {
    // Tracks are the probe's preparation: when none can be made, the outcome is a setup error.
    videoTrack() {
      return t.setup("make a video track", () => makeVideo());
    },

    audioTrack() {
      return t.setup("make an audio track", () => makeAudio());
    },

    async stream({ audio = true, video = true } = {}) {
      const tracks = [];
      if (audio) tracks.push(await t.audioTrack());
      if (video) tracks.push(await t.videoTrack());
      return new win.MediaStream(tracks);
    },
  };

  async function makeVideo() {
    try {
      const canvas = win.document.createElement("canvas");
      canvas.width = canvas.height = 16;
      canvas.getContext("2d").fillRect(0, 0, 16, 16);
      const track = canvas.captureStream(1).getVideoTracks()[0];
      if (track) return own(track);
    } catch (_) { /* fall through */ }
    return own((await win.navigator.mediaDevices.getUserMedia({ video: true })).getVideoTracks()[0]);
  }

  async function makeAudio() {
    try {
      const ctx = new win.AudioContext();
      cleanup(() => ctx.close());
      const track = ctx.createMediaStreamDestination().stream.getAudioTracks()[0];
      if (track) return own(track);
    } catch (_) { /* fall through */ }
    return own((await win.navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks()[0]);
  }
});
