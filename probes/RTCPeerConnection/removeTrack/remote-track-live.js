/*---
feature: api.RTCPeerConnection.removeTrack.remote_track_live
title: the remote track is not ended by the renegotiation
spec: https://w3c.github.io/webrtc-pc/#process-remote-track-removal
expect: after removeTrack(sender) and a whole renegotiation, the callee's remote track is muted and its readyState is still live (it ends only when its transceiver stops)
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
const [caller, callee] = t.pair();
const track = await t.audioTrack();
const sender = caller.addTrack(track, new t.window.MediaStream([track]));
const arrived = t.event(callee, "track", { quiet: true });
await t.negotiate(caller, callee);
const { track: remote } = await arrived;
t.call("removeTrack(sender)", () => caller.removeTrack(sender));
await t.negotiate(caller, callee);
const state = t.value("remote track readyState", remote.readyState);
t.value("remote track muted", remote.muted);
t.check(state === "live", `the remote track's readyState is ${state}`);
