/*---
feature: api.RTCPeerConnection.removeStream.remote_removetrack_event
title: the remote stream fires removetrack for each track and is left empty
mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/removeStream
expect: "no spec describes removeStream() any more; after removeStream(stream) and the next offer, records whether the callee's remote stream fires removetrack for each of its tracks and is left with none"
deprecated: true
standard: false
---*/
t.require("RTCPeerConnection");
t.require("RTCPeerConnection.prototype.addStream");
t.require("RTCPeerConnection.prototype.removeStream");
const [caller, callee] = t.pair();
const stream = await t.stream();
t.call("addStream(stream)", () => caller.addStream(stream));
const arrived = t.event(callee, "track", { quiet: true });
await t.negotiate(caller, callee);
const [remote] = (await arrived).streams;
t.value("remote stream tracks before", remote.getTracks().length);
const kinds = [];
remote.addEventListener("removetrack", (e) => kinds.push(e.track.kind));
const emptied = new Promise((resolve) => remote.addEventListener("removetrack", () => remote.getTracks().length === 0 && resolve()));
t.call("removeStream(stream)", () => caller.removeStream(stream));
await t.offer(caller, callee);
await Promise.race([emptied, t.sleep(2000)]);
t.value("removetrack events", kinds.slice().sort());
t.value("remote stream tracks after", remote.getTracks().length);
t.check(remote.getTracks().length === 0, `the remote stream still holds ${remote.getTracks().length} tracks`);
