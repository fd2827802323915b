/*---
feature: api.RTCPeerConnection.removeStream.remote_removestream_event
title: the remote side fires the legacy removestream event
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/removeStream
expect: "no spec describes removeStream() any more; after removeStream(stream) and the next offer, records whether the callee fires removestream for the stream (same id), and in which order against setRemoteDescription(offer) resolving"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
t.require("RTCPeerConnection.prototype.removeStream");
const [caller, callee] = t.pair();
const stream = await t.stream();
t.call("addStream(stream)", () => caller.addStream(stream));
await t.negotiate(caller, callee);
const removed = t.event(callee, "removestream");
t.call("removeStream(stream)", () => caller.removeStream(stream));
await caller.setLocalDescription(await caller.createOffer());
await callee.setRemoteDescription(caller.localDescription);
t.mark("setRemoteDescription resolved");
const event = await removed;
t.value("event.stream.id === stream.id", event.stream.id === stream.id);
t.value("order", t.timeline());
t.check(event.stream.id === stream.id, "the removestream event names another stream");
