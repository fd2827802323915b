/*---
feature: api.RTCPeerConnection.removeStream.never_added
title: of a stream never added changes nothing
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/removeStream
expect: "no spec describes removeStream() any more; records what removeStream(other) does for a stream that was never added (Chromium: returns, throws nothing, the added stream keeps its senders and its place in getLocalStreams())"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
t.require("RTCPeerConnection.prototype.removeStream");
const pc = t.pc();
const stream = await t.stream();
const other = await t.stream();
t.call("addStream(stream)", () => pc.addStream(stream));
t.call("removeStream(other)", () => pc.removeStream(other));
const tracks = t.value("senders with a track", pc.getSenders().filter((s) => s.track !== null).length);
const local = t.value("getLocalStreams().length", pc.getLocalStreams().length);
t.check(tracks === stream.getTracks().length, "removing a stream never added took tracks off the senders");
t.check(local === 1 && pc.getLocalStreams()[0] === stream, "removing a stream never added changed getLocalStreams()");
