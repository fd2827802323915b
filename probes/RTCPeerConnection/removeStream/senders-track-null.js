/*---
feature: api.RTCPeerConnection.removeStream.senders_track_null
title: sets the track of each of the stream's senders to null; the senders stay
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/removeStream
expect: "no spec describes removeStream() any more; records what happens to the senders addStream(stream) made (Chromium: each sender's track becomes null, as removeTrack() would do, and the senders stay in getSenders())"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
t.require("RTCPeerConnection.prototype.removeStream");
const pc = t.pc();
const stream = await t.stream();
t.call("addStream(stream)", () => pc.addStream(stream));
const senders = pc.getSenders();
t.value("senders before", senders.length);
t.call("removeStream(stream)", () => pc.removeStream(stream));
t.value("senders after", pc.getSenders().length);
t.value("senders with a track after", pc.getSenders().filter((s) => s.track !== null).length);
t.check(senders.every((s) => s.track === null), "a sender of the stream still has its track");
t.check(senders.every((s) => pc.getSenders().includes(s)), "a sender of the stream is gone from getSenders()");
