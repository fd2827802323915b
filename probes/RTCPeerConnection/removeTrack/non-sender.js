/*---
feature: api.RTCPeerConnection.removeTrack.non_sender_argument
title: an argument that is not a sender throws TypeError
spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack
expect: throws TypeError (Web IDL conversion to RTCRtpSender fails)
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.removeTrack");
const pc = t.pc();
t.throws("TypeError", "removeTrack({})", () => pc.removeTrack({}));
