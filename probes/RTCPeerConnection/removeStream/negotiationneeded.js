/*---
feature: api.RTCPeerConnection.removeStream.negotiationneeded
title: in the stable state fires negotiationneeded
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/removeStream
expect: after a completed offer/answer, removeStream(stream) fires negotiationneeded
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
t.require("RTCPeerConnection.prototype.removeStream");
const pc = t.pc();
const remote = t.pc();
const stream = await t.stream();
t.call("addStream(stream)", () => pc.addStream(stream));
await t.negotiate(pc, remote);
t.value("signalingState", pc.signalingState);
await t.sleep(0);
const needed = t.watch(pc, "negotiationneeded");
t.call("removeStream(stream)", () => pc.removeStream(stream));
t.check(await needed.wait(2000), "no negotiationneeded event within 2000 ms");
