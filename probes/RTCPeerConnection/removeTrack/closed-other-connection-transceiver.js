/*---
feature: api.RTCPeerConnection.removeTrack.closed_other_connection_transceiver
title: a closed connection throws InvalidStateError for another connection's addTransceiver() sender
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack
expect: removeTrack(sender from another connection's addTransceiver()) on a closed connection throws InvalidStateError, not InvalidAccessError
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
t.require("RTCPeerConnection.prototype.addTransceiver");
const { sender } = t.pc().addTransceiver(await t.audioTrack());
const closed = t.pc();
closed.close();
t.throws("InvalidStateError", "closedConnection.removeTrack(sender)", () => closed.removeTrack(sender));
