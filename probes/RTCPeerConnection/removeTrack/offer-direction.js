/*---
feature: api.RTCPeerConnection.removeTrack.offer_direction
title: the next offer marks the media section recvonly
spec: https://www.rfc-editor.org/rfc/rfc8829#section-5.2.2
expect: after a sendrecv negotiation and removeTrack(sender), createOffer() gives the section a=recvonly (JSEP 5.2.2)
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
const caller = t.pc();
const callee = t.pc();
const track = await t.audioTrack();
const sender = caller.addTrack(track, new t.window.MediaStream([track]));
const theirs = await t.audioTrack();
await t.negotiate(caller, callee, { beforeAnswer: () => callee.addTrack(theirs, new t.window.MediaStream([theirs])) });
t.call("removeTrack(sender)", () => caller.removeTrack(sender));
const { sdp } = await caller.createOffer();
const direction = t.value("offered direction", (sdp.match(/^a=(sendrecv|sendonly|recvonly|inactive)\r?$/m) || [])[1] ?? null);
t.check(direction === "recvonly", `the offer's media section says ${direction}`);
