/*---
feature: api.RTCPeerConnection.removeTrack.negotiationneeded_not_stable
title: in have-local-offer waits for the answer before it fires negotiationneeded
spec: https://w3c.github.io/webrtc-pc/#updating-the-negotiation-needed-flag
expect: removeTrack(sender) on the caller in have-local-offer fires no negotiationneeded until the answer is set; then it fires one
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
const caller = t.pc();
const callee = t.pc();
const track = await t.audioTrack();
const sender = caller.addTrack(track, new t.window.MediaStream([track]));
await t.negotiate(caller, callee);
await t.offer(caller, callee);
t.value("signalingState at removeTrack", caller.signalingState);
const needed = t.event(caller, "negotiationneeded");
t.call("removeTrack(sender)", () => caller.removeTrack(sender));
// Room for a negotiationneeded that should not come: the event is queued as a task.
await t.sleep(50);
t.mark("answer about to be set");
await t.answer(caller, callee);
t.mark("answer set");
await needed;
t.value("signalingState at negotiationneeded", caller.signalingState);
const order = t.timeline();
t.check(order[0] === "answer about to be set", `negotiationneeded fired in have-local-offer (${order.join(", ")})`);
