/*---
feature: api.RTCPeerConnection.removeStream.non_stream_argument
title: an argument that is not a MediaStream throws TypeError
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/removeStream
expect: "no spec describes removeStream() any more; the old IDL (removeStream(MediaStream stream)) makes an object that is not a MediaStream a TypeError"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
t.require("RTCPeerConnection.prototype.removeStream");
const pc = t.pc();
t.throws("TypeError", "removeStream({})", () => pc.removeStream({}));
