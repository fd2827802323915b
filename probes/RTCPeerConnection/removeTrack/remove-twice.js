/*---
feature: api.RTCPeerConnection.removeTrack.remove_twice
title: removing the same sender twice does not throw
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack
expect: the second removeTrack(sender) returns without throwing
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
const pc = t.pc();
const track = await t.audioTrack();
const sender = pc.addTrack(track, new t.window.MediaStream([track]));
t.call("removeTrack(sender)", () => pc.removeTrack(sender));
t.call("removeTrack(sender) again", () => pc.removeTrack(sender));
