// WebRTC helpers: connections closed when the probe ends, offer/answer between two of them in
// one go or in steps, and pairs that trade ICE candidates so media flows over loopback.
helper("webrtc", ({ win, t, cleanup }) => {
  // Hands each of `from`'s candidates to `to`. A candidate that arrives after `to` was closed
  // (the probe ended) is of no interest, so its rejection is dropped.
  function trade(from, to) {
    const listener = (event) => {
      if (event.candidate) to.addIceCandidate(event.candidate).catch(() => {});
    };
    from.addEventListener("icecandidate", listener);
    cleanup(() => from.removeEventListener("icecandidate", listener));
  }

  return {
    pc(config) {
      const pc = new win.RTCPeerConnection(config);
      cleanup(() => pc.close());
      return pc;
    },

    // Two connections that send each other their ICE candidates: once negotiated they connect
    // over loopback and carry media (remote tracks unmute). No STUN or TURN server is involved.
    pair(config) {
      const caller = t.pc(config);
      const callee = t.pc(config);
      trade(caller, callee);
      trade(callee, caller);
      return [caller, callee];
    },

    // The offer half: the caller's offer becomes its local and the callee's remote description
    // (caller "have-local-offer", callee "have-remote-offer").
    async offer(caller, callee) {
      await caller.setLocalDescription(await caller.createOffer());
      await callee.setRemoteDescription(caller.localDescription);
    },

    // The answer half: the callee answers the offer it holds; both end "stable".
    async answer(caller, callee) {
      await callee.setLocalDescription(await callee.createAnswer());
      await caller.setRemoteDescription(callee.localDescription);
    },

    // A whole offer/answer, leaving both "stable". `beforeAnswer` runs on the callee between its
    // setRemoteDescription(offer) and createAnswer() (to add a track the answer should carry).
    // It is the probe's preparation: when it fails, the outcome is a setup error, not the API under
    // test failing.
    // `beforeAnswer` runs outside the setup: what it checks is the probe's own question.
    async negotiate(caller, callee, { beforeAnswer } = {}) {
      await t.setup("negotiate: offer", () => t.offer(caller, callee));
      if (beforeAnswer) await beforeAnswer();
      await t.setup("negotiate: answer", async () => {
        await t.answer(caller, callee);
        t.check(caller.signalingState === "stable" && callee.signalingState === "stable",
          `the connections are ${caller.signalingState} and ${callee.signalingState}, not stable`);
      });
    },

    // Resolves once `track` is not muted, that is once media arrives on a remote track (at once
    // if it already flows). Media that never comes (no connection, a source that produces
    // nothing) is a failed setup, not an answer: the probe then ends as an error of setup.
    // Not on the timeline: whether media came before or after this call is a matter of timing.
    async unmuted(track, { within = 4000 } = {}) {
      if (track.muted) await t.event(track, "unmute", { within, quiet: true, setup: true });
    },
  };
});
