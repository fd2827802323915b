/*---
feature: api.RTCPeerConnection.removeTrack.closed_connection
title: on a closed connection throws InvalidStateError
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack
expect: throws InvalidStateError when the connection is closed
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
const pc = t.pc();
const track = await t.audioTrack();
const sender = pc.addTrack(track, new t.window.MediaStream([track]));
pc.close();
t.value("signalingState", pc.signalingState);
t.throws("InvalidStateError", "removeTrack(sender)", () => pc.removeTrack(sender));
