/*---
feature: api.RTCPeerConnection.removeTrack.foreign_sender
title: a sender from another connection throws InvalidAccessError
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack
expect: throws InvalidAccessError when the sender was not created by this connection
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
const pc = t.pc();
const other = t.pc();
const track = await t.audioTrack();
const sender = other.addTrack(track, new t.window.MediaStream([track]));
t.throws("InvalidAccessError", "removeTrack(senderOfAnotherConnection)", () => pc.removeTrack(sender));
