/*---
feature: api.RTCPeerConnection.addStream.senders
title: returns undefined and makes one sender per track of the stream
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/addStream
expect: "no spec describes addStream() any more; records the return value and the senders (one per track, each sending that track, as addTrack(track, stream) would make)"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
const pc = t.pc();
const stream = await t.stream();
t.call("addStream(stream)", () => pc.addStream(stream));
const senders = pc.getSenders();
t.value("senders", senders.length);
t.value("sender kinds", senders.map((s) => s.track && s.track.kind).sort());
t.value("directions", pc.getTransceivers().map((tr) => tr.direction));
const tracks = stream.getTracks();
t.check(senders.length === tracks.length && tracks.every((track) => senders.some((s) => s.track === track)), "the senders do not send the stream's tracks");
