/*---
feature: api.RTCPeerConnection.removeTrack.remote_current_direction
title: after renegotiating, both sides' currentDirection reflect that the caller stopped sending
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack
expect: when only the caller sent, a whole renegotiation after removeTrack(sender) leaves the caller's transceiver currentDirection inactive and the callee's inactive
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
t.require("RTCRtpTransceiver.prototype.currentDirection");
const caller = t.pc();
const callee = t.pc();
const track = await t.audioTrack();
const sender = caller.addTrack(track, new t.window.MediaStream([track]));
await t.negotiate(caller, callee);
const ours = caller.getTransceivers()[0];
const theirs = callee.getTransceivers()[0];
t.value("caller currentDirection before", ours.currentDirection);
t.value("callee currentDirection before", theirs.currentDirection);
t.call("removeTrack(sender)", () => caller.removeTrack(sender));
await t.negotiate(caller, callee);
const mine = t.value("caller currentDirection after", ours.currentDirection);
const yours = t.value("callee currentDirection after", theirs.currentDirection);
t.check(mine === "inactive" && yours === "inactive", `currentDirection is ${mine} on the caller and ${yours} on the callee`);
