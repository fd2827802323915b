/*---
feature: api.RTCPeerConnection.removeTrack.remote_removetrack_before_srd
title: the remote stream's removetrack fires before setRemoteDescription resolves
spec: https://w3c.github.io/webrtc-pc/#process-remote-track-removal
expect: on the callee, removetrack fires on the remote stream before its setRemoteDescription(offer) promise resolves
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
const [caller, callee] = t.pair();
const track = await t.audioTrack();
const sender = caller.addTrack(track, new t.window.MediaStream([track]));
const arrived = t.event(callee, "track", { quiet: true });
await t.negotiate(caller, callee);
const [stream] = (await arrived).streams;
const removed = t.event(stream, "removetrack");
t.call("removeTrack(sender)", () => caller.removeTrack(sender));
await caller.setLocalDescription(await caller.createOffer());
await callee.setRemoteDescription(caller.localDescription);
t.mark("setRemoteDescription resolved");
await removed;
const order = t.timeline();
t.check(order[0] === "removetrack", `removetrack came after setRemoteDescription resolved (${order.join(", ")})`);
