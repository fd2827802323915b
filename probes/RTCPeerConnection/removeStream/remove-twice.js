/*---
feature: api.RTCPeerConnection.removeStream.remove_twice
title: removing the same stream twice does not throw
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/removeStream
expect: "no spec describes removeStream() any more; records what a second removeStream(stream) does (Chromium: returns undefined, throws nothing)"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
t.require("RTCPeerConnection.prototype.removeStream");
const pc = t.pc();
const stream = await t.stream();
t.call("addStream(stream)", () => pc.addStream(stream));
t.call("removeStream(stream)", () => pc.removeStream(stream));
t.call("removeStream(stream) again", () => pc.removeStream(stream));
t.value("getLocalStreams().length", pc.getLocalStreams().length);
