/*---
feature: api.RTCPeerConnection.addTrack
title: addTrack() is on the prototype
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-addtrack
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/addTrack
expect: addTrack() is a method of RTCPeerConnection
---*/
t.require("RTCPeerConnection");
const method = t.require("RTCPeerConnection.prototype.addTrack");
t.value("typeof addTrack", typeof method);
