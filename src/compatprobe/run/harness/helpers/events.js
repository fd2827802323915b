// Event helpers: wait for one event on any object and get the event itself, and a timeline of
// what happened in which order (events and the points a probe marks, such as a promise settling).
helper("events", ({ t, record, cleanup }) => {
  const timeline = [];
  const note = (label) => {
    timeline.push(label);
    record.events.push(label);
  };
  const nameOf = (target) => {
    try {
      return target.constructor.name || "the target";
    } catch (_) {
      return "the target";
    }
  };
  return {
    // Listens from now on and resolves with the first `type` event on `target`. When none comes
    // within `within` ms the probe ends there as not doing what the row describes, saying which
    // event did not come: waiting is a question the probe asks of the browser. With `setup`, the
    // event is a step the probe needs before it can ask (media arriving, say): its absence ends
    // the probe as an error of setup, since the question was never put. The label goes on the
    // timeline and into the outcome's events when the event fires, unless `quiet` (for an event
    // whose timing against the others is not the question).
    event(target, type, { within = 3000, label = type, quiet = false, setup = false } = {}) {
      let listener;
      let timer;
      const stop = () => {
        clearTimeout(timer);
        if (listener) target.removeEventListener(type, listener);
        listener = null;
      };
      cleanup(stop);
      const seen = new Promise((resolve, reject) => {
        listener = (event) => {
          stop();
          if (!quiet) note(label);
          resolve(event);
        };
        target.addEventListener(type, listener);
        timer = setTimeout(() => {
          stop();
          const missed = `no ${type} event on ${nameOf(target)} within ${within} ms${label === type ? "" : ` (${label})`}`;
          reject(new Ending(setup
            ? { status: "error", reason: "setup", message: `${missed}: a step the probe needs did not happen` }
            : { status: "unsupported", reason: "behaviour", message: missed }));
        }, within);
      });
      // A probe may never await a waiter it did not need: its timeout must not surface as an
      // unhandled rejection. Awaiting `seen` still rejects.
      seen.catch(() => {});
      return seen;
    },

    // Puts a point of the probe's own (such as "setRemoteDescription resolved") on the timeline.
    mark(label) {
      note(label);
    },

    // What happened so far, in order: labels of the events t.event() saw and of t.mark().
    timeline() {
      return timeline.slice();
    },
  };
});
