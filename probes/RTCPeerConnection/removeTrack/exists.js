/*---
feature: api.RTCPeerConnection.removeTrack
title: removeTrack() is on the prototype
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/removeTrack
expect: removeTrack() is a method of RTCPeerConnection
---*/
t.require("RTCPeerConnection");
const method = t.require("RTCPeerConnection.prototype.removeTrack");
t.value("typeof removeTrack", typeof method);
