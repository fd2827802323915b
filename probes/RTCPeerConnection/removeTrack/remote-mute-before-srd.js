/*---
feature: api.RTCPeerConnection.removeTrack.remote_mute_before_srd
title: the remote track's mute fires before setRemoteDescription resolves
spec: https://w3c.github.io/webrtc-pc/#process-remote-track-removal
expect: once media flows, the callee's remote track fires mute before its setRemoteDescription(offer) promise resolves
timeout: 12000
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
const [caller, callee] = t.pair();
const track = await t.videoTrack({ live: true });
const sender = caller.addTrack(track, new t.window.MediaStream([track]));
const arrived = t.event(callee, "track", { quiet: true });
await t.negotiate(caller, callee);
const { track: remote } = await arrived;
await t.unmuted(remote);
const muted = t.event(remote, "mute");
t.call("removeTrack(sender)", () => caller.removeTrack(sender));
await caller.setLocalDescription(await caller.createOffer());
await callee.setRemoteDescription(caller.localDescription);
t.mark("setRemoteDescription resolved");
await muted;
const order = t.timeline();
t.check(order[0] === "mute", `mute came after setRemoteDescription resolved (${order.join(", ")})`);
