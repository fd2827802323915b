/*---
feature: api.RTCPeerConnection.addStream.local_streams
title: lists the stream in getLocalStreams()
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/addStream
expect: "no spec describes addStream() any more; records whether getLocalStreams() holds the stream after addStream(stream)"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
t.require("RTCPeerConnection.prototype.getLocalStreams");
const pc = t.pc();
const stream = await t.stream();
t.call("addStream(stream)", () => pc.addStream(stream));
const local = pc.getLocalStreams();
t.value("getLocalStreams().length", local.length);
t.check(local.length === 1 && local[0] === stream, "getLocalStreams() does not hold the stream");
