/*---
feature: api.RTCPeerConnection.addStream.after_removeStream
title: adding a stream again after removeStream() sends its tracks again
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/addStream
expect: "no spec describes addStream() any more; records what addStream(stream) after removeStream(stream) does: how many senders there are and whether they send the stream's tracks"
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
t.call("addStream(stream) again", () => pc.addStream(stream));
t.value("senders", pc.getSenders().length);
const sending = t.value("senders with a track", pc.getSenders().filter((s) => s.track !== null).length);
t.check(sending === stream.getTracks().length, `${sending} senders send a track after adding the stream again`);
