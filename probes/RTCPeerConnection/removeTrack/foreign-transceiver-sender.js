/*---
feature: api.RTCPeerConnection.removeTrack.foreign_transceiver_sender
title: a sender from another connection's addTransceiver() throws InvalidAccessError
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack
expect: throws InvalidAccessError when the sender (from addTransceiver) was not created by this connection
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
t.require("RTCPeerConnection.prototype.addTransceiver");
const { sender } = t.pc().addTransceiver(await t.audioTrack());
const pc = t.pc();
t.throws("InvalidAccessError", "removeTrack(senderOfAnotherConnection)", () => pc.removeTrack(sender));
