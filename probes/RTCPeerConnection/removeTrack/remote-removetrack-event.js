/*---
feature: api.RTCPeerConnection.removeTrack.remote_removetrack_event
title: the remote stream fires removetrack and loses the track
spec: https://w3c.github.io/webrtc-pc/#process-remote-track-removal
expect: after removeTrack(sender) and the next offer, the callee's remote stream fires removetrack with the remote track, and is left with no tracks
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
const [caller, callee] = t.pair();
const track = await t.audioTrack();
const sender = caller.addTrack(track, new t.window.MediaStream([track]));
const arrived = t.event(callee, "track");
await t.negotiate(caller, callee);
const { track: remote, streams } = await arrived;
t.value("streams in the track event", streams.length);
const [stream] = streams;
const removed = t.event(stream, "removetrack");
t.call("removeTrack(sender)", () => caller.removeTrack(sender));
await t.offer(caller, callee);
const event = await removed;
t.value("event.track === remote track", event.track === remote);
t.value("remote stream tracks", stream.getTracks().length);
t.check(event.track === remote, "the removetrack event names another track");
t.check(stream.getTracks().length === 0, "the remote stream still holds tracks");
