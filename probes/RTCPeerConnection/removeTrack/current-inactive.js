/*---
feature: api.RTCPeerConnection.removeTrack.current_direction_inactive
title: with currentDirection inactive leaves the direction inactive
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack
expect: after negotiating inactive (answered by a connection with no tracks), removeTrack(sender) sets sender.track to null and leaves direction and currentDirection inactive
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
t.require("RTCPeerConnection.prototype.addTransceiver");
t.require("RTCRtpTransceiver.prototype.currentDirection");
const pc = t.pc();
const transceiver = pc.addTransceiver(await t.audioTrack(), { direction: "inactive" });
const { sender } = transceiver;
await t.negotiate(pc, t.pc());
const negotiated = t.value("currentDirection before", transceiver.currentDirection);
t.check(negotiated === "inactive", `the negotiation gave currentDirection ${negotiated}, not inactive`);
t.call("removeTrack(sender)", () => pc.removeTrack(sender));
t.value("sender.track", sender.track);
const direction = t.value("direction after", transceiver.direction);
const current = t.value("currentDirection after", transceiver.currentDirection);
t.check(sender.track === null, "sender.track is not null after removeTrack(sender)");
t.check(direction === "inactive", `direction is ${direction} after removeTrack(sender), not inactive`);
t.check(current === "inactive", `currentDirection changed to ${current} before any renegotiation`);
