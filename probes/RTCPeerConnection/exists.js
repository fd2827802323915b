/*---
feature: api.RTCPeerConnection
title: RTCPeerConnection interface
spec: https://w3c.github.io/webrtc-pc/#interface-definition
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection
expect: the RTCPeerConnection constructor is exposed on Window
---*/
const ctor = t.require("RTCPeerConnection");
t.value("typeof RTCPeerConnection", typeof ctor);
