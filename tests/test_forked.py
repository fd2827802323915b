"""Work shared with a forked copy (report.forked): the same answer as one process gives, when the
copy works, when it fails, and when this process fails. Run in a child interpreter of its own,
since a test worker has threads (execnet's), where shared() rightly never forks."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    from compatprobe.report import forked

    forks = []
    real_fork = os.fork
    def counted_fork():
        forks.append(1)
        return real_fork()
    os.fork = counted_fork
    parent = os.getpid()
    jobs = list(range(200))

    def odd_values(part):
        return [i for i, job in enumerate(part) if job % 3 == 0]

    def fails_in_copy(part):
        if os.getpid() != parent:
            raise RuntimeError("the copy fails")
        return odd_values(part)

    def fails_here(part):
        if os.getpid() == parent:
            raise ValueError("this process fails")
        return odd_values(part)

    out = {"serial": odd_values(jobs), "shared": forked.shared(jobs, odd_values)}
    out["copy_failed"] = forked.shared(jobs, fails_in_copy)
    try:
        forked.shared(jobs, fails_here)
    except ValueError as exc:
        out["raised"] = str(exc)
    try:
        os.waitpid(-1, os.WNOHANG)
        out["children_left"] = True
    except ChildProcessError:
        out["children_left"] = False
    out["small"] = forked.shared(jobs[:3], odd_values)
    import signal
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # a program whose children are reaped for it
    out["sigchld_ignored"] = forked.shared(jobs, odd_values)
    out["copy_failed_sigchld_ignored"] = forked.shared(jobs, fails_in_copy)
    out["forks"] = len(forks)
    print(json.dumps(out))
    """
)


def test_shared_work_gives_what_one_process_gives() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True)
    out = json.loads(done.stdout)
    assert out["serial"] == [i for i in range(200) if i % 3 == 0]
    assert out["shared"] == out["serial"]
    assert out["copy_failed"] == out["serial"], "a failed copy's share is done here"
    assert out["raised"] == "this process fails"
    assert out["children_left"] is False, "every copy is reaped, even when this process fails"
    assert out["small"] == [0]
    assert out["sigchld_ignored"] == out["serial"] == out["copy_failed_sigchld_ignored"]
    assert out["forks"] == 5, "five calls of 200 jobs forked; the one of 3 jobs did not"
