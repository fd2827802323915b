// WebRTC helpers: connections closed when the probe ends, and offer/answer between two of them.
helper("webrtc", ({ win, t, cleanup }) => ({
  pc(config) {
    const pc = new win.RTCPeerConnection(config);
    cleanup(() => pc.close());
    return pc;
  },

  // Completes an offer/answer between two local connections, leaving both "stable". It is the
  // probe's preparation: when it fails, the outcome is a setup error, not the API under test failing.
  negotiate(offerer, answerer) {
    return t.setup("negotiate", async () => {
      await offerer.setLocalDescription(await offerer.createOffer());
      await answerer.setRemoteDescription(offerer.localDescription);
      await answerer.setLocalDescription(await answerer.createAnswer());
      await offerer.setRemoteDescription(answerer.localDescription);
      t.check(offerer.signalingState === "stable" && answerer.signalingState === "stable",
        `the connections are ${offerer.signalingState} and ${answerer.signalingState}, not stable`);
    });
  },
}));
