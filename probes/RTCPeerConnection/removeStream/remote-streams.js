/*---
feature: api.RTCPeerConnection.removeStream.remote_streams
title: the remote side's getRemoteStreams() no longer lists the stream
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/removeStream
expect: "no spec describes removeStream() any more; after removeStream(stream) and the next offer, records whether the callee's legacy getRemoteStreams() still lists it"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
t.require("RTCPeerConnection.prototype.removeStream");
t.require("RTCPeerConnection.prototype.getRemoteStreams");
const [caller, callee] = t.pair();
const stream = await t.stream();
t.call("addStream(stream)", () => caller.addStream(stream));
await t.negotiate(caller, callee);
t.value("getRemoteStreams().length before", callee.getRemoteStreams().length);
t.call("removeStream(stream)", () => caller.removeStream(stream));
await t.offer(caller, callee);
const left = t.value("getRemoteStreams().length after", callee.getRemoteStreams().length);
t.check(left === 0, `the callee still lists ${left} remote streams`);
