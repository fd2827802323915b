/*---
feature: api.RTCPeerConnection.removeTrack.sender_track_null
title: sets sender.track to null; the sender stays in getSenders()
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack
expect: sender.track is null afterwards and getSenders() still includes the sender
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
const pc = t.pc();
const track = await t.audioTrack();
const sender = pc.addTrack(track, new t.window.MediaStream([track]));
t.call("removeTrack(sender)", () => pc.removeTrack(sender));
t.value("sender.track", sender.track);
const kept = t.value("getSenders().includes(sender)", pc.getSenders().includes(sender));
t.check(sender.track === null, "sender.track is not null after removeTrack(sender)");
t.check(kept, "the sender is gone from getSenders()");
