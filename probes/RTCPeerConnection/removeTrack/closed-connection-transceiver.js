/*---
feature: api.RTCPeerConnection.removeTrack.closed_connection_transceiver
title: a closed connection throws InvalidStateError for a sender from its addTransceiver()
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack
expect: throws InvalidStateError when the connection is closed (the sender came from addTransceiver)
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
t.require("RTCPeerConnection.prototype.addTransceiver");
const pc = t.pc();
const { sender } = pc.addTransceiver(await t.audioTrack());
pc.close();
t.throws("InvalidStateError", "removeTrack(sender)", () => pc.removeTrack(sender));
