/*---
feature: api.RTCPeerConnection.removeTrack.transceiver_direction
title: the transceiver's direction goes from sendrecv to recvonly
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack
expect: transceiver.direction is "sendrecv" before and "recvonly" after
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
t.require("RTCPeerConnection.prototype.getTransceivers");
const pc = t.pc();
const track = await t.audioTrack();
const sender = pc.addTrack(track, new t.window.MediaStream([track]));
const transceiver = pc.getTransceivers().find((tr) => tr.sender === sender);
t.check(transceiver !== undefined, "no transceiver holds the sender");
const before = t.value("direction before", transceiver.direction);
t.call("removeTrack(sender)", () => pc.removeTrack(sender));
const after = t.value("direction after", transceiver.direction);
t.check(before === "sendrecv" && after === "recvonly", `direction went from ${before} to ${after}`);
