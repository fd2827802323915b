"""The four BCD errors of issue 25 come out as leads with the right proposals, from real runs in
Chromium and Firefox compared with BCD 8.1.9 as npm packs it;
each observation behind them is checked by a direct evaluation in the same browser. --apply writes
them into a fixture checkout byte for byte as tests/fixtures/bcd-four/expected/ has them."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path
from typing import Any

import pytest

from compatprobe import api, cli
from compatprobe.bcd.leads import Leads
from compatprobe.bcd.propose import Proposal
from compatprobe.report.formats.markdown import MarkdownFormat
from direct import evaluate_many, evaluate_many_in_worker

pytestmark = pytest.mark.browsers

ROOT = Path(__file__).resolve().parents[1]
FOUR = ROOT / "tests" / "fixtures" / "bcd-four"
FEATURES = [
    "api.WebGLBuffer",
    "api.Navigator.share",
    "api.PushManager.register",
    "api.PushManager.hasPermission",
    "api.PushManager.registrations",
    "api.PushManager.unregister",
    "css.properties.line-clamp",
    "css.properties.line-clamp.none",
]


@pytest.fixture(scope="module")
def four(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Leads]:
    out = tmp_path_factory.mktemp("four")
    args = ["run", "-m", str(ROOT / "matrix.yaml"), "-q", "-b", "chromium", "-b", "firefox"]
    for feature in FEATURES:
        args += ["-f", feature]
    results = out / "results.json"
    with pytest.MonkeyPatch.context() as patch:
        # The pinned data packages (the probes are generated from them) in a cache of this module's own.
        patch.setenv("COMPATPROBE_CACHE", str(out / "cache"))
        for name in ("COMPATPROBE_IDL", "COMPATPROBE_CSS", "COMPATPROBE_BCD", "COMPATPROBE_WEB_FEATURES"):
            patch.delenv(name, raising=False)
        assert cli.main(["data", "fetch"]) == 0
        assert cli.main([*args, "--results", str(results), "-o", str(out / "index.html")]) == 0
        # The real package, as npm packs it (fetched above); the fixture checkout has its source files.
        package = out / "cache" / "packages" / "mdn-browser-compat-data@8.1.9.tgz"
        leads = api.bcd_leads(api.load_results(results), package)
        assert leads.comparison.data.version == "8.1.9"
    return results, leads


def direct_in_window(engine: str, expressions: dict[str, str]) -> dict[str, Any]:
    """Each expression's value, evaluated in a plain page of the engine (tests/direct.py)."""
    return {name: answer.get("value", answer) for name, answer in evaluate_many(engine, expressions).items()}


def direct_in_worker(engine: str, expressions: dict[str, str]) -> dict[str, Any]:
    return {name: answer.get("value", answer) for name, answer in evaluate_many_in_worker(engine, expressions).items()}


def proposal(leads: Leads, entry: str, browser: str) -> Proposal:
    found = [p for p in leads.proposals if p.entry == entry and p.browser == browser]
    assert len(found) == 1, [(p.entry, p.browser) for p in leads.proposals]
    return found[0]


def test_webgl_interfaces_in_chromium_workers_propose_worker_support(four: tuple[Path, Leads]) -> None:
    direct = direct_in_worker("chromium", {"WebGLBuffer": "typeof WebGLBuffer"})
    assert direct["WebGLBuffer"] == "function"  # there in a dedicated worker, no harness
    p = proposal(four[1], "api.WebGLBuffer.worker_support", "chrome")
    assert (p.source_file, p.change, p.today, p.proposed) == (
        "api/WebGLBuffer.json",
        "added",
        {"version_added": False},
        {"version_added": "≤156"},
    )
    assert p.dating is not None and p.dating.releases == 1 and not p.dating.exact
    assert [(s.scope, s.status) for s in p.evidence.seen] == [("window", "supported"), ("worker", "supported")]


def test_navigator_share_missing_on_linux_proposes_a_platform_note(four: tuple[Path, Leads]) -> None:
    direct = direct_in_window(
        "chromium", {"share": "typeof navigator.share", "proto": "'share' in Navigator.prototype"}
    )
    assert direct == {"share": "undefined", "proto": False}
    p = proposal(four[1], "api.Navigator.share", "chrome")
    assert p.change == "platform" and not p.needs_person
    assert p.proposed[0] == {"version_added": "128", "partial_implementation": True, "notes": "Not supported on Linux."}
    assert p.proposed[1] == p.today[1]  # the older ChromeOS-and-Windows statement stays
    assert p.evidence.seen[0].status == "unsupported" and "share" in p.evidence.seen[0].detail


def test_firefox_line_clamp_none_needs_the_webkit_prefix(four: tuple[Path, Leads]) -> None:
    direct = direct_in_window(
        "firefox",
        {"plain": "CSS.supports('line-clamp', 'none')", "webkit": "CSS.supports('-webkit-line-clamp', 'none')"},
    )
    assert direct == {"plain": False, "webkit": True}
    p = proposal(four[1], "css.properties.line-clamp.none", "firefox")
    assert (p.source_file, p.change, p.proposed) == (
        "css/properties/line-clamp.json",
        "value-prefix",
        {"prefix": "-webkit-", "version_added": "68"},
    )
    assert 'CSS.supports("line-clamp", "none") → false' in p.evidence.check


@pytest.mark.parametrize("member", ["register", "hasPermission", "registrations", "unregister"])
def test_push_manager_members_missing_in_firefox_propose_a_removal(four: tuple[Path, Leads], member: str) -> None:
    direct = direct_in_window("firefox", {"on": f"'{member}' in PushManager.prototype", "i": "typeof PushManager"})
    assert direct == {"on": False, "i": "function"}
    p = proposal(four[1], f"api.PushManager.{member}", "firefox")
    assert (p.source_file, p.change, p.today) == ("api/PushManager.json", "removed", {"version_added": "44"})
    assert p.proposed == {"version_added": "44", "version_removed": "≤153"}
    assert p.dating is not None and p.dating.releases == 1  # one release: a range, never a guessed version


def test_every_contradiction_is_a_lead_here_and_counted(four: tuple[Path, Leads]) -> None:
    leads = four[1]
    assert {t.klass for t in leads.triaged} == {"lead"}
    assert sum(c["lead"] for c in leads.counts.values()) == len(leads.proposals)


def test_apply_writes_the_expected_files_byte_for_byte(four: tuple[Path, Leads], tmp_path: Path) -> None:
    clone = tmp_path / "browser-compat-data"
    shutil.copytree(FOUR / "clone", clone)
    done = api.apply_bcd(four[1], clone)
    wrote = sorted((p.entry, p.browser) for p in done.written)
    assert ("api.WebGLBuffer.worker_support", "chrome") in wrote and ("api.Navigator.share", "chrome") in wrote
    expected = FOUR / "expected"
    assert len(list(expected.rglob("*.json"))) == 4  # the four files of the four errors
    for path in sorted(expected.rglob("*.json")):
        name = path.relative_to(expected)
        assert (clone / name).read_bytes() == path.read_bytes(), name
    untouched = filecmp.dircmp(FOUR / "clone" / "browsers", clone / "browsers")
    assert not untouched.diff_files


def test_apply_from_the_command_line_lists_what_it_wrote(four: tuple[Path, Leads], tmp_path: Path, capsys: Any) -> None:
    clone = tmp_path / "bcd"
    shutil.copytree(FOUR / "clone", clone)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COMPATPROBE_CACHE", str(tmp_path / "cache"))
        code = cli.main(["bcd", str(four[0]), "--bcd", str(FOUR / "data.json"), "--apply", str(clone)])
    assert code == 0
    said = capsys.readouterr().out
    assert "wrote api/PushManager.json: api.PushManager.register.__compat.support.firefox (removed)" in said
    assert (clone / "api" / "PushManager.json").read_bytes() == (
        FOUR / "expected" / "api" / "PushManager.json"
    ).read_bytes()


def test_markdown_for_a_pull_request_has_each_file_its_leads_evidence_and_diff(four: tuple[Path, Leads]) -> None:
    md = MarkdownFormat().bcd(four[1].comparison, limit=100)
    assert "### api/PushManager.json" in md and "### css/properties/line-clamp.json" in md
    assert '  +                "prefix": "-webkit-",' not in md  # the diff is of the statement, not the file
    assert '  +  "prefix": "-webkit-",' in md
    assert "window: unsupported (register is not on PushManager.prototype)" in md
    assert "≤153: one release observed (153); a single release cannot date the removal" in md
    assert "left out" not in md
