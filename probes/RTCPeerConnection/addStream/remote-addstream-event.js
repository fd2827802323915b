/*---
feature: api.RTCPeerConnection.addStream.remote_addstream_event
title: the remote side fires the legacy addstream event with the stream
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/addStream
expect: "no spec describes addStream() any more; records whether the callee fires addstream with a stream of the same id and tracks, and the order of addstream, track and setRemoteDescription(offer) resolving"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
const caller = t.pc();
const callee = t.pc();
const stream = await t.stream();
t.call("addStream(stream)", () => caller.addStream(stream));
const added = t.event(callee, "addstream");
callee.addEventListener("track", () => t.mark("track"));
await caller.setLocalDescription(await caller.createOffer());
await callee.setRemoteDescription(caller.localDescription);
t.mark("setRemoteDescription resolved");
const event = await added;
t.value("event.stream.id === stream.id", event.stream.id === stream.id);
t.value("event.stream tracks", event.stream.getTracks().length);
t.value("order", t.timeline());
t.check(event.stream.id === stream.id && event.stream.getTracks().length === stream.getTracks().length, "the addstream event's stream is not the caller's stream");
