/*---
feature: api.RTCPeerConnection.removeTrack.remote_track_live
title: the remote track is muted, not ended, after the renegotiation
spec: https://w3c.github.io/webrtc-pc/#process-remote-track-removal
expect: once media flows, removeTrack(sender) and a whole renegotiation leave the callee's remote track muted with readyState live (it ends only when its transceiver stops)
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
t.call("removeTrack(sender)", () => caller.removeTrack(sender));
await t.negotiate(caller, callee);
const muted = t.value("remote track muted", remote.muted);
const state = t.value("remote track readyState", remote.readyState);
t.check(muted, "the remote track is not muted after the renegotiation");
t.check(state === "live", `the remote track's readyState is ${state}`);
