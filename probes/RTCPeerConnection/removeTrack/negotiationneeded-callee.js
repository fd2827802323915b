/*---
feature: api.RTCPeerConnection.removeTrack.negotiationneeded_callee
title: on the callee while it answers fires negotiationneeded once it is stable again
spec: https://w3c.github.io/webrtc-pc/#updating-the-negotiation-needed-flag
expect: removeTrack(sender) on the answerer while setLocalDescription(answer) is pending fires negotiationneeded, in the stable state, after that answer was set
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
t.require("RTCPeerConnection.prototype.addTransceiver");
const caller = t.pc();
const callee = t.pc();
caller.addTransceiver("audio", { direction: "recvonly" });
const offer = await caller.createOffer();
const track = await t.audioTrack();
const first = t.event(callee, "negotiationneeded", { label: "negotiationneeded after addTrack" });
const sender = callee.addTrack(track, new t.window.MediaStream([track]));
await first;
await callee.setRemoteDescription(offer);
const answer = await callee.createAnswer();
const answered = callee.setLocalDescription(answer).then(() => t.mark("setLocalDescription(answer) resolved"));
t.value("signalingState at removeTrack", callee.signalingState);
const needed = t.event(callee, "negotiationneeded", { label: "negotiationneeded after removeTrack" });
t.call("removeTrack(sender)", () => callee.removeTrack(sender));
await needed;
t.value("signalingState at negotiationneeded", callee.signalingState);
await answered;
const order = t.timeline();
t.check(order[1] === "setLocalDescription(answer) resolved", `negotiationneeded came before the answer was set (${order.join(", ")})`);
