/*---
feature: api.RTCPeerConnection.removeStream.transceiver_direction
title: turns the stream's transceivers from sendrecv to recvonly
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/removeStream
expect: "no spec describes removeStream() any more; records the directions of the transceivers addStream(stream) made, before and after (removeTrack() on each sender would make them recvonly)"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
t.require("RTCPeerConnection.prototype.removeStream");
const pc = t.pc();
const stream = await t.stream();
t.call("addStream(stream)", () => pc.addStream(stream));
t.value("directions before", pc.getTransceivers().map((tr) => tr.direction));
t.call("removeStream(stream)", () => pc.removeStream(stream));
const after = t.value("directions after", pc.getTransceivers().map((tr) => tr.direction));
t.check(after.length > 0 && after.every((d) => d === "recvonly"), `directions after removeStream(stream): ${after.join(", ")}`);
