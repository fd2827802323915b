/*---
feature: api.RTCPeerConnection.removeTrack.transceiver_track_null
title: on a sender from addTransceiver() sets its track to null and the direction to recvonly
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack
expect: before any negotiation (currentDirection null), sender.track becomes null and direction goes from sendrecv to recvonly
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
t.require("RTCPeerConnection.prototype.addTransceiver");
const pc = t.pc();
const track = await t.audioTrack();
const transceiver = pc.addTransceiver(track);
const { sender } = transceiver;
t.check(sender.track === track, "sender.track is not the track given to addTransceiver()");
t.value("currentDirection", transceiver.currentDirection);
const before = t.value("direction before", transceiver.direction);
t.call("removeTrack(sender)", () => pc.removeTrack(sender));
const after = t.value("direction after", transceiver.direction);
t.check(sender.track === null, "sender.track is not null after removeTrack(sender)");
t.check(before === "sendrecv" && after === "recvonly", `direction went from ${before} to ${after}`);
