// WebRTC helpers: connections closed when the probe ends, and offer/answer between two of them.
helper("webrtc", ({ win, cleanup }) => ({
  pc(config) {
    const pc = new win.RTCPeerConnection(config);
    cleanup(() => pc.close());
    return pc;
  },

  // Completes an offer/answer between two local connections, leaving both "stable".
  async negotiate(offerer, answerer) {
    await offerer.setLocalDescription(await offerer.createOffer());
    await answerer.setRemoteDescription(offerer.localDescription);
    await answerer.setLocalDescription(await answerer.createAnswer());
    await offerer.setRemoteDescription(answerer.localDescription);
  },
}));
