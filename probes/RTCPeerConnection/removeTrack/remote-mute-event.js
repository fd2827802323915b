/*---
feature: api.RTCPeerConnection.removeTrack.remote_mute_event
title: the remote track fires mute and is muted
spec: https://w3c.github.io/webrtc-pc/#process-remote-track-removal
expect: once media flows, removeTrack(sender) and the next offer make the callee's remote track fire mute; it is then muted (its readyState is recorded)
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
await t.offer(caller, callee);
await muted;
t.value("remote track muted", remote.muted);
t.value("remote track readyState", remote.readyState);
t.check(remote.muted, "the remote track fired mute but is not muted");
