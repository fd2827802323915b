/*---
feature: api.RTCPeerConnection.removeTrack.stopped_transceiver
title: on the sender of a stopped transceiver does nothing
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack
expect: after transceiver.stop(), removeTrack(sender) returns without throwing and sender.track keeps its track
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
t.require("RTCRtpTransceiver.prototype.stop");
const pc = t.pc();
const track = await t.audioTrack();
const sender = pc.addTrack(track, new t.window.MediaStream([track]));
const transceiver = pc.getTransceivers().find((tr) => tr.sender === sender);
t.check(transceiver !== undefined, "no transceiver holds the sender");
transceiver.stop();
t.call("removeTrack(sender)", () => pc.removeTrack(sender));
const kept = t.value("sender.track === track", sender.track === track);
t.check(kept, `sender.track is ${sender.track === null ? "null" : "another track"} after removeTrack on a stopped transceiver`);
