/*---
feature: api.RTCPeerConnection.removeTrack.negotiationneeded
title: after a completed offer/answer fires negotiationneeded
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack
expect: removeTrack(sender) on a stable, negotiated connection fires negotiationneeded
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
const pc = t.pc();
const remote = t.pc();
const track = await t.audioTrack();
const sender = pc.addTrack(track, new t.window.MediaStream([track]));
await t.negotiate(pc, remote);
t.value("signalingState", pc.signalingState);
await t.sleep(0);
const needed = t.watch(pc, "negotiationneeded");
t.call("removeTrack(sender)", () => pc.removeTrack(sender));
t.check(await needed.wait(2000), "no negotiationneeded event within 2000 ms");
