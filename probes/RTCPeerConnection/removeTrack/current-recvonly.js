/*---
feature: api.RTCPeerConnection.removeTrack.current_direction_recvonly
title: with currentDirection recvonly leaves the direction recvonly
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack
expect: after negotiating recvonly (the callee adds a track of its own before it answers), removeTrack(sender) sets sender.track to null and leaves direction and currentDirection recvonly
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
t.require("RTCPeerConnection.prototype.addTransceiver");
t.require("RTCRtpTransceiver.prototype.currentDirection");
const pc = t.pc();
const transceiver = pc.addTransceiver(await t.audioTrack(), { direction: "recvonly" });
const { sender } = transceiver;
const callee = t.pc();
const theirs = await t.audioTrack();
await t.negotiate(pc, callee, { beforeAnswer: () => callee.addTrack(theirs, new t.window.MediaStream([theirs])) });
const negotiated = t.value("currentDirection before", transceiver.currentDirection);
t.check(negotiated === "recvonly", `the negotiation gave currentDirection ${negotiated}, not recvonly`);
t.call("removeTrack(sender)", () => pc.removeTrack(sender));
t.value("sender.track", sender.track);
const direction = t.value("direction after", transceiver.direction);
const current = t.value("currentDirection after", transceiver.currentDirection);
t.check(sender.track === null, "sender.track is not null after removeTrack(sender)");
t.check(direction === "recvonly", `direction is ${direction} after removeTrack(sender), not recvonly`);
t.check(current === "recvonly", `currentDirection changed to ${current} before any renegotiation`);
