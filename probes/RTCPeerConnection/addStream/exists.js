/*---
feature: api.RTCPeerConnection.addStream
title: addStream() is on the prototype
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/addStream
expect: not in the current spec; removed in favour of addTrack()
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
const method = t.require("RTCPeerConnection.prototype.addStream");
t.value("typeof addStream", typeof method);
