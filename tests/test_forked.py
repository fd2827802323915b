"""Work shared with a forked copy (compatprobe.forked): the same answer as one process gives, when the
copy works, when it fails, and when this process fails. Run in a child interpreter of its own,
since a test worker has threads (execnet's), where shared() rightly never forks."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

# What both scripts begin with: os.fork counted, and whether any copy is left unreaped.
COUNTED = textwrap.dedent(
    """
    import os

    forks = []
    real_fork = os.fork
    def counted_fork():
        forks.append(1)
        return real_fork()
    os.fork = counted_fork
    parent = os.getpid()

    def children_left():
        try:
            os.waitpid(-1, os.WNOHANG)
            return True
        except ChildProcessError:
            return False
    """
)

SCRIPT = COUNTED + textwrap.dedent(
    """
    import json, os, sys
    from compatprobe import forked

    jobs = list(range(200))

    def odd_values(part):
        return [i for i, job in enumerate(part) if job % 3 == 0]

    def fails_in_copy(part):
        if os.getpid() != parent:
            raise RuntimeError("the copy fails")
        return odd_values(part)

    import tempfile, time
    failed_mark = os.path.join(tempfile.mkdtemp(), "copy-failed")

    def copy_fails_after_some(part):
        done = []
        for i, job in enumerate(part):
            if os.getpid() != parent and i == 5:
                open(failed_mark, "w").close()
                raise RuntimeError("the copy fails after taking six jobs")
            if os.getpid() == parent and i == 0:  # the copy takes its six meanwhile
                deadline = time.monotonic() + 30
                while not os.path.exists(failed_mark) and time.monotonic() < deadline:
                    time.sleep(0.01)
            if job % 3 == 0:
                done.append(i)
        return done

    def fails_here(part):
        if os.getpid() == parent:
            raise ValueError("this process fails")
        return odd_values(part)

    out = {"serial": odd_values(jobs), "shared": forked.shared(jobs, odd_values)}
    out["copy_failed"] = forked.shared(jobs, fails_in_copy)
    out["copy_failed_later"] = forked.shared(jobs, copy_fails_after_some)
    out["copy_took_and_failed"] = os.path.exists(failed_mark)
    os.remove(failed_mark)
    os.rmdir(os.path.dirname(failed_mark))
    try:
        forked.shared(jobs, fails_here)
    except ValueError as exc:
        out["raised"] = str(exc)
    out["children_left"] = children_left()
    out["small"] = forked.shared(jobs[:3], odd_values)

    marks = tempfile.mkdtemp()
    def first_waits_for_the_rest(part):
        done = []
        for i, job in enumerate(part):
            if job == 0:  # held here until the other process has taken every other job
                deadline = time.monotonic() + 30
                while len(os.listdir(marks)) < len(jobs) - 1 and time.monotonic() < deadline:
                    time.sleep(0.01)
            else:
                with open(os.path.join(marks, str(job)), "w") as mark:
                    mark.write(str(os.getpid()))
            done.append(i)
        return done
    out["dealt"] = forked.shared(jobs, first_waits_for_the_rest)
    takers = set()
    for name in os.listdir(marks):
        with open(os.path.join(marks, name)) as mark:
            takers.add(mark.read())
        os.remove(os.path.join(marks, name))
    os.rmdir(marks)
    out["takers_of_the_rest"] = len(takers)
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
    assert out["copy_took_and_failed"] is True
    assert out["copy_failed_later"] == out["serial"], "the jobs a failed copy took are done here"
    assert out["raised"] == "this process fails"
    assert out["children_left"] is False, "every copy is reaped, even when this process fails"
    assert out["small"] == [0]
    assert out["sigchld_ignored"] == out["serial"] == out["copy_failed_sigchld_ignored"]
    assert out["dealt"] == list(range(200))
    assert out["takers_of_the_rest"] == 1, "while one process held a long job, the other took all the rest"
    assert out["forks"] == 7, "seven calls of 200 jobs forked; the one of 3 jobs did not"


SAVING = COUNTED + textwrap.dedent(
    """
    import gzip, json, os, sys
    from pathlib import Path
    from compatprobe import api, files
    from compatprobe.results.model import read_results

    folder = Path(sys.argv[2])
    source = folder / "given.json"
    source.write_bytes(gzip.decompress(Path(sys.argv[1]).read_bytes()))
    results = read_results(source)
    expected = api.results_json(results)
    out = {}

    def saved(name, history=None):
        with api.saving(results, folder / name, history=history) as pending:
            pending.save(None, None)
        return (folder / name).read_text() == expected

    import compatprobe.saving
    real_fill, copy_fails, filled_here = files.fill, [], []
    def fill(staged, text):
        if os.getpid() == parent:
            filled_here.append(staged.path.name)
        elif copy_fails:
            raise OSError(28, "No space left on device")
        real_fill(staged, text)
    compatprobe.saving.fill = fill
    out["forked"] = saved("forked.json", history=folder / "kept")
    out["kept"] = [p.read_text() == expected for p in (folder / "kept").iterdir()]
    out["filled_here"] = list(filled_here)
    copy_fails.append(1)
    out["copy_failed"] = saved("copy-failed.json")
    out["filled_here_after"] = filled_here[len(out["filled_here"]):]
    try:
        with api.saving(results, folder / "left.json"):
            raise ValueError("the report failed")
    except ValueError:
        pass
    out["left"] = sorted(p.name for p in folder.iterdir() if p.name.startswith(".left"))
    out["children_left"] = children_left()
    out["forks"] = len(forks)
    print(json.dumps(out))
    """
)


def test_the_results_file_begun_in_a_copy_is_the_one_this_process_writes(tmp_path: Path) -> None:
    results = Path(__file__).parent / "fixtures" / "sweep_small" / "results.json.gz"
    argv = [sys.executable, "-c", SAVING, str(results), str(tmp_path)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=True)
    out = json.loads(done.stdout)
    assert out["forked"] is True and out["kept"] == [True], "the copy's file and history copy are dumps()'s text"
    assert out["filled_here"] == [], "the copy wrote them"
    assert out["copy_failed"] is True, "a copy that fails has its file written here"
    assert out["filled_here_after"] == ["copy-failed.json"]
    assert out["left"] == [], "a saving left before its save leaves no staged file"
    assert out["children_left"] is False
    assert out["forks"] == 3, "each saving began in a copy"


STREAMED = COUNTED + textwrap.dedent(
    """
    import json, os, sys
    from compatprobe import forked

    jobs = list(range(9))

    def made(job):
        return {"job": job, "here": os.getpid() == parent}

    def fails_in_copy_at_5(job):
        if job == 5:
            raise ValueError(f"job 5 failed {'here' if os.getpid() == parent else 'in the copy'}")
        return made(job)

    out = {"serial": [made(j) for j in jobs], "streamed": list(forked.streamed(jobs, made))}
    try:
        out["got"] = [v["job"] for v in forked.streamed(jobs, fails_in_copy_at_5)]
    except ValueError as exc:
        out["raised"] = str(exc)
    stopped = forked.streamed(jobs, made)
    out["first"] = next(stopped)["job"]
    stopped.close()  # a caller that stops early stops the copy
    out["children_left"] = children_left()
    out["small"] = [v["here"] for v in forked.streamed(jobs[:3], made)]
    out["forks"] = len(forks)
    print(json.dumps(out))
    """
)


def test_streamed_values_are_those_one_process_makes_in_order() -> None:
    done = subprocess.run([sys.executable, "-c", STREAMED], capture_output=True, text=True, timeout=120, check=True)
    out = json.loads(done.stdout)
    assert [v["job"] for v in out["streamed"]] == [v["job"] for v in out["serial"]] == list(range(9))
    # Every other value was made in the copy, and sent here.
    assert [v["here"] for v in out["streamed"]] == [i % 2 == 0 for i in range(9)]
    # The copy failed at job 5: this process made it, and raised there, as one process would.
    assert "got" not in out and out["raised"] == "job 5 failed here"
    assert out["first"] == 0 and out["children_left"] is False
    assert out["small"] == [True, True, True]
    assert out["forks"] == 3, "three calls of nine jobs forked; the one of three did not"


HISTORY = COUNTED + textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from compatprobe import api
    from compatprobe.results.history import cell_histories, load_history

    folder = Path(sys.argv[1])
    read = api.history_timeline(folder, newest_whole=False).timeline
    forked_reads = len(forks)
    whole = [r.results for r in load_history(folder)]
    print(json.dumps({
        "same": read.cell_histories() == cell_histories(whole),
        "runs": [r.started for r in read.runs] == [r.run.started for r in whole],
        "forks": forked_reads,
        "children_left": children_left(),
    }))
    """
)


def test_a_history_read_with_a_forked_copy_is_the_same(tmp_path: Path) -> None:
    """`render DIR` reads a history's runs two at a time, every other one in a forked copy."""
    from compatprobe.results.history import save_to_history
    from test_history import firefox_history

    for day, results in enumerate(firefox_history() * 2):
        results.run.started = f"2026-01-{day + 1:02d}T10:00:00+00:00"
        save_to_history(results, tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", HISTORY, str(tmp_path)], capture_output=True, text=True, timeout=120, check=True
    )
    assert json.loads(done.stdout) == {"same": True, "runs": True, "forks": 1, "children_left": False}


ASIDE = COUNTED + textwrap.dedent(
    """
    import json, os, threading
    from compatprobe import forked

    def made():
        return {"by_copy": os.getpid() != parent, "value": list(range(5))}

    def fails_in_copy():
        if os.getpid() != parent:
            raise RuntimeError("the copy fails")
        return made()

    def fails_everywhere():
        raise ValueError("made nowhere")

    out = {"made": forked.aside(made).value(), "copy_failed": forked.aside(fails_in_copy).value()}
    try:
        forked.aside(fails_everywhere).value()
    except ValueError as exc:
        out["raised"] = str(exc)
    left = forked.aside(made)
    left.cancel()  # never taken: stopped and reaped
    out["after_cancel"] = left.value()
    out["children_left"] = children_left()
    forks_before = len(forks)
    waiting = threading.Event()
    other = threading.Thread(target=waiting.wait)
    other.start()
    out["with_a_thread"] = forked.aside(made).value()
    out["forked_with_a_thread"] = len(forks) - forks_before
    waiting.set()
    other.join()
    out["forks"] = len(forks)

    import signal, time
    def slow():  # the copy would take a minute
        time.sleep(60 if os.getpid() != parent else 0)
        return 1
    class Stopped(Exception):
        pass
    def stop(signum, frame):
        raise Stopped()
    signal.signal(signal.SIGALRM, stop)
    began = time.monotonic()
    signal.alarm(1)
    try:
        forked.aside(slow).value()
    except Stopped:
        out["stopped_after_s"] = time.monotonic() - began
    out["children_left_after_stop"] = children_left()
    print(json.dumps(out))
    """
)


def test_a_value_made_aside_is_the_one_this_process_would_make() -> None:
    done = subprocess.run([sys.executable, "-c", ASIDE], capture_output=True, text=True, timeout=120, check=True)
    out = json.loads(done.stdout)
    assert out["made"] == {"by_copy": True, "value": [0, 1, 2, 3, 4]}, "made in the copy, sent back pickled"
    assert out["copy_failed"] == {"by_copy": False, "value": [0, 1, 2, 3, 4]}, "a copy that fails: made here"
    assert out["raised"] == "made nowhere", "an error comes from this process, as without a copy"
    assert out["after_cancel"]["by_copy"] is False, "a cancelled copy's value is not waited for"
    assert out["children_left"] is False
    assert out["with_a_thread"]["by_copy"] is False and out["forked_with_a_thread"] == 0, "no fork beside a thread"
    assert out["forks"] == 4
    # A signal while the value is awaited stops the copy rather than waiting out its minute.
    assert out["stopped_after_s"] < 30 and out["children_left_after_stop"] is False
