/*---
feature: api.RTCPeerConnection.addStream.closed_connection
title: throws InvalidStateError when the connection is closed
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/addStream
expect: "no spec describes addStream() any more; the old spec (and addTrack()) throw InvalidStateError on a closed connection"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
const pc = t.pc();
const stream = await t.stream();
pc.close();
t.throws("InvalidStateError", "addStream(stream)", () => pc.addStream(stream));
