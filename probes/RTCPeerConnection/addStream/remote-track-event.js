/*---
feature: api.RTCPeerConnection.addStream.remote_track_event
title: the remote side's track events carry the stream
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/addStream
expect: "no spec describes addStream() any more; records whether each track event on the callee names one stream with the id of the caller's stream, as addTrack(track, stream) would"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
const caller = t.pc();
const callee = t.pc();
const stream = await t.stream();
t.call("addStream(stream)", () => caller.addStream(stream));
const seen = [];
callee.addEventListener("track", (e) => seen.push(e.streams.map((s) => s.id === stream.id)));
await t.negotiate(caller, callee);
t.value("track events", seen.length);
t.value("streams of each", seen);
t.check(seen.length === stream.getTracks().length && seen.every((ids) => ids.length === 1 && ids[0]), "the track events do not name the caller's stream");
