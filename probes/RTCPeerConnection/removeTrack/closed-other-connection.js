/*---
feature: api.RTCPeerConnection.removeTrack.closed_other_connection
title: a closed connection throws InvalidStateError before it looks at whose sender it is
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack
expect: removeTrack(sender of another connection) on a closed connection throws InvalidStateError, not InvalidAccessError
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
const owner = t.pc();
const track = await t.audioTrack();
const sender = owner.addTrack(track, new t.window.MediaStream([track]));
const closed = t.pc();
closed.close();
t.throws("InvalidStateError", "closedConnection.removeTrack(sender)", () => closed.removeTrack(sender));
