/*---
feature: api.RTCPeerConnection.removeStream
title: removeStream() is on the prototype
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/removeStream
expect: not in the current spec; removed in favour of removeTrack()
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
const method = t.require("RTCPeerConnection.prototype.removeStream");
t.value("typeof removeStream", typeof method);
