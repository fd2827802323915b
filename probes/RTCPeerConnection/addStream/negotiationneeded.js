/*---
feature: api.RTCPeerConnection.addStream.negotiationneeded
title: fires negotiationneeded
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/addStream
expect: "no spec describes addStream() any more; records whether addStream(stream) on a new connection fires negotiationneeded, as addTrack() does"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
const pc = t.pc();
const stream = await t.stream();
const needed = t.event(pc, "negotiationneeded");
t.call("addStream(stream)", () => pc.addStream(stream));
await needed;
