/*---
feature: api.RTCPeerConnection.removeStream.added_with_addTrack
title: also takes the track off a sender that addTrack(track, stream) made
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/removeStream
expect: "no spec describes removeStream() any more; records whether removeStream(stream) reaches a sender made by addTrack(track, stream) rather than addStream() (Chromium: it does; the sender's track becomes null)"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
t.require("RTCPeerConnection.prototype.removeStream");
const pc = t.pc();
const stream = await t.stream({ video: false });
const sender = pc.addTrack(stream.getTracks()[0], stream);
t.value("getLocalStreams().length before", pc.getLocalStreams().length);
t.call("removeStream(stream)", () => pc.removeStream(stream));
t.value("sender.track", sender.track);
t.value("getLocalStreams().length after", pc.getLocalStreams().length);
t.check(sender.track === null, "the sender addTrack() made still has its track");
