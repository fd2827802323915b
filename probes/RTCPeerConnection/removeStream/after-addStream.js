/*---
feature: api.RTCPeerConnection.removeStream.after_addStream
title: removeStream(stream) after addStream(stream) returns
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/removeStream
expect: returns undefined and the stream leaves getLocalStreams() (Firefox 22 to 50 threw NotSupportedError)
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
if (typeof pc.getLocalStreams === "function") {
  const left = t.value("getLocalStreams().length", pc.getLocalStreams().length);
  t.check(left === 0, `the stream is still in getLocalStreams() (${left} left)`);
}
