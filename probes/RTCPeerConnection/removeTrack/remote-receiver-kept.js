/*---
feature: api.RTCPeerConnection.removeTrack.remote_receiver_kept
title: the remote side keeps its receiver after the renegotiation offer
spec: https://w3c.github.io/webrtc-pc/#process-remote-track-removal
expect: after removeTrack(sender) and the next offer, the callee's getReceivers() still holds the same one receiver
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
const [caller, callee] = t.pair();
const track = await t.audioTrack();
const sender = caller.addTrack(track, new t.window.MediaStream([track]));
await t.negotiate(caller, callee);
const receivers = callee.getReceivers();
t.value("receivers before", receivers.length);
t.call("removeTrack(sender)", () => caller.removeTrack(sender));
await t.offer(caller, callee);
const after = callee.getReceivers();
t.value("receivers after", after.length);
t.check(after.length === 1 && after[0] === receivers[0], "the callee's receiver is gone or replaced after the renegotiation offer");
