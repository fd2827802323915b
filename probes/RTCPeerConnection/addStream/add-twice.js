/*---
feature: api.RTCPeerConnection.addStream.add_twice
title: adding the same stream twice
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/addStream
expect: "no spec describes addStream() any more; records what a second addStream(stream) does (Chromium: returns and changes nothing; Firefox: throws InvalidAccessError, the track is already on a sender) and how many senders there are then"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
const pc = t.pc();
const stream = await t.stream();
t.call("addStream(stream)", () => pc.addStream(stream));
try {
  t.value("second addStream(stream) returned", pc.addStream(stream));
} catch (e) {
  t.value("second addStream(stream) threw", e.name);
}
t.value("senders", pc.getSenders().length);
t.value("getLocalStreams().length", pc.getLocalStreams().length);
