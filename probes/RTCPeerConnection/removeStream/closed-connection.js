/*---
feature: api.RTCPeerConnection.removeStream.closed_connection
title: on a closed connection throws InvalidStateError
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/removeStream
expect: throws InvalidStateError when signalingState is "closed"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
t.require("RTCPeerConnection.prototype.removeStream");
const pc = t.pc();
const stream = await t.stream();
t.call("addStream(stream)", () => pc.addStream(stream));
pc.close();
t.value("signalingState", pc.signalingState);
t.throws("InvalidStateError", "removeStream(stream)", () => pc.removeStream(stream));
