/*---
feature: api.RTCPeerConnection.addStream.non_stream_argument
title: an argument that is not a MediaStream throws TypeError
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/addStream
expect: "no spec describes addStream() any more; the old IDL (addStream(MediaStream stream)) makes an object that is not a MediaStream a TypeError"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
const pc = t.pc();
t.throws("TypeError", "addStream({})", () => pc.addStream({}));
