"""A GitHub Actions job run as a script, on this machine: the steps in order, a composite action's
steps expanded with its inputs, `${{ }}` expressions and `if:` conditions evaluated, and the files
and variables a runner sets (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ENV, GITHUB_PATH, ...).

GitHub's official actions are stood in for by what they do to files (checkout: the workspace is
already a clone; cache: the folder stays; upload-artifact and the Pages actions: the folder is
copied). Steps that need the internet or root are named in SKIPPED_HERE and recorded, not run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# Step ids of the action that install software: no internet and no root here. Everything else runs.
SKIPPED_HERE = {
    "install": "pip install needs the network; the tests' venv has compatprobe",
    "browsers": "playwright install downloads browsers; Debian's are used here",
    "deps": "playwright install-deps needs root and apt",
}
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
TOKEN = re.compile(r"\s*('(?:[^']|'')*'|&&|\|\||==|!=|!|\(|\)|[A-Za-z_][\w.-]*(?:\(\))?)")


@dataclass
class StepRecord:
    name: str
    outcome: str  # success, failure, skipped (condition false), not-run-here (SKIPPED_HERE)
    code: int = 0
    output: str = ""


@dataclass
class Job:
    """One job's run: the workspace (a git clone), the runner's environment and what happened."""

    workspace: Path
    action_path: Path  # where `uses: OWNER/compatprobe@...` and `uses: ./` resolve
    env: dict[str, str]
    runner_temp: Path
    artifacts: Path
    pages: Path
    steps: list[StepRecord] = field(default_factory=list)
    summary: str = ""
    failed: bool = False
    uses: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # official actions, with their inputs

    def run_workflow(self, workflow: dict[str, Any], job_name: str) -> None:
        self.run_steps(workflow["jobs"][job_name]["steps"], {"inputs": {}}, {})

    def run_steps(
        self, steps: list[dict[str, Any]], inputs: dict[str, Any], outputs: dict[str, dict[str, str]]
    ) -> None:
        for index, step in enumerate(steps):
            name = step.get("name") or step.get("uses") or f"step {index}"
            context = {**inputs, "steps": {k: {"outputs": v} for k, v in outputs.items()}}
            if not self._condition(step.get("if", "success()"), context):
                self.steps.append(StepRecord(name, "skipped"))
                continue
            if step.get("id") in SKIPPED_HERE and "run" in step:
                self.steps.append(StepRecord(name, "not-run-here", output=SKIPPED_HERE[step["id"]]))
                continue
            with_ = {k: self._expand(str(v), context) for k, v in (step.get("with") or {}).items()}
            if "uses" in step:
                produced = self._uses(step["uses"], with_, name)
            else:
                env = {k: self._expand(str(v), context) for k, v in (step.get("env") or {}).items()}
                produced = self._run(name, step["run"], env)
            outputs[step.get("id", f"_{index}")] = produced

    def _uses(self, uses: str, with_: dict[str, str], name: str) -> dict[str, str]:
        action = uses.split("@")[0]
        self.uses.append((action, with_))
        if action in ("actions/checkout", "actions/setup-python", "actions/cache"):
            # The workspace is a clone already; the venv's Python is first on PATH; a cached folder
            # stays where it is between the runs of one test (a cache hit).
            self.steps.append(StepRecord(name, "success"))
            return {}
        if action == "actions/upload-artifact":
            shutil.copytree(self.workspace / with_["path"], self.artifacts / with_["name"], dirs_exist_ok=False)
        elif action == "actions/upload-pages-artifact":
            staged = self.runner_temp / "pages-artifact"
            shutil.rmtree(staged, ignore_errors=True)
            shutil.copytree(self.workspace / with_["path"], staged)
        elif action == "actions/deploy-pages":
            shutil.rmtree(self.pages, ignore_errors=True)
            shutil.copytree(self.runner_temp / "pages-artifact", self.pages)
            self.steps.append(StepRecord(name, "success"))
            return {"page_url": "https://owner.github.io/repo/"}
        elif action.endswith("/compatprobe") or action == ".":
            return self._composite(with_, name)
        else:
            raise AssertionError(f"no stand-in for {uses}")
        self.steps.append(StepRecord(name, "success"))
        return {}

    def _composite(self, with_: dict[str, str], name: str) -> dict[str, str]:
        action = load_yaml(self.action_path / "action.yml")
        inputs = {}
        for key, spec in action["inputs"].items():
            default = str(spec.get("default", ""))
            inputs[key] = with_.get(key, self._expand(default, {"inputs": {}}))
        outputs: dict[str, dict[str, str]] = {}
        self.run_steps(action["runs"]["steps"], {"inputs": inputs}, outputs)
        context = {"inputs": inputs, "steps": {k: {"outputs": v} for k, v in outputs.items()}}
        return {k: self._expand(str(spec["value"]), context) for k, spec in action.get("outputs", {}).items()}

    def _run(self, name: str, script: str, env: dict[str, str]) -> dict[str, str]:
        files = {
            n: self.runner_temp / f"{n.lower()}-{len(self.steps)}"
            for n in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV", "GITHUB_PATH")
        }
        for path in files.values():
            path.write_text("")
        full_env = {**self.env, **env, **{k: str(v) for k, v in files.items()}}
        proc = subprocess.run(
            # What a runner runs for `shell: bash`.
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=self.workspace,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        self.steps.append(
            StepRecord(
                name, "success" if proc.returncode == 0 else "failure", proc.returncode, proc.stdout + proc.stderr
            )
        )
        self.summary += files["GITHUB_STEP_SUMMARY"].read_text()
        self.env.update(parse_key_values(files["GITHUB_ENV"].read_text()))
        for line in files["GITHUB_PATH"].read_text().splitlines():
            self.env["PATH"] = f"{line}{os.pathsep}{self.env['PATH']}"
        if proc.returncode != 0:
            self.failed = True
        return parse_key_values(files["GITHUB_OUTPUT"].read_text())

    def _context(self, extra: dict[str, Any]) -> dict[str, Any]:
        return {
            "github": {
                "action_path": str(self.action_path),
                "token": "fake-token-for-the-test",
                "repository": self.env["GITHUB_REPOSITORY"],
                "workspace": str(self.workspace),
            },
            "runner": {"os": "Linux", "temp": str(self.runner_temp)},
            **extra,
        }

    def _value(self, path: str, context: dict[str, Any]) -> str:
        value: Any = self._context(context)
        for part in path.split("."):
            value = value.get(part, "") if isinstance(value, dict) else ""
        return "" if value is None else str(value)

    def _expand(self, text: str, context: dict[str, Any]) -> str:
        return EXPRESSION.sub(lambda m: str(self._evaluate(m.group(1), context)), text)

    def _condition(self, condition: Any, context: dict[str, Any]) -> bool:
        if isinstance(condition, bool):
            return condition
        text = EXPRESSION.sub(lambda m: m.group(1), str(condition))
        if not re.search(r"\b(success|failure|always|cancelled)\(\)", text):
            text = f"success() && ({text})"  # GitHub's implicit status check
        return bool(self._evaluate(text, context))

    def _evaluate(self, expression: str, context: dict[str, Any]) -> Any:
        """GitHub's expression syntax, the part the workflows here use, turned into Python."""
        python = []
        position = 0
        while position < len(expression):
            match = TOKEN.match(expression, position)
            if not match:
                raise AssertionError(f"cannot read the expression {expression!r} at {position}")
            token = match.group(1)
            position = match.end()
            if token.startswith("'"):
                python.append(repr(token[1:-1].replace("''", "'")))
            elif token in ("&&", "||", "!"):
                python.append({"&&": " and ", "||": " or ", "!": " not "}[token])
            elif token in ("==", "!=", "(", ")"):
                python.append(token)
            elif token in ("success()", "failure()", "always()", "cancelled()"):
                python.append(
                    repr({"success()": not self.failed, "failure()": self.failed}.get(token, token == "always()"))
                )
            elif token in ("true", "false"):
                python.append(repr(token == "true"))
            else:
                python.append(repr(self._value(token, context)))
        # Only quoted literals, and/or/not, comparisons and parentheses reach eval.
        return eval("".join(python), {"__builtins__": {}})


def parse_key_values(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT and GITHUB_ENV: name=value lines, and name<<DELIMITER blocks."""
    values: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block = []
            for inner in lines:
                if inner == delimiter:
                    break
                block.append(inner)
            values[name] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def load_yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    if True in data:  # YAML 1.1 reads the key `on` as True
        data["on"] = data.pop(True)
    return data


def runner_env(workspace: Path, home: Path, runner_temp: Path, bin_dirs: list[Path]) -> dict[str, str]:
    """The variables a GitHub-hosted runner sets for a job, with this machine's PATH behind `bin_dirs`."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TZ", "DISPLAY")}
    return {
        **keep,
        "PATH": os.pathsep.join([*map(str, bin_dirs), keep.get("PATH", "/usr/bin:/bin")]),
        "HOME": str(home),
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_REPOSITORY": "owner/repo",
        "GITHUB_EVENT_NAME": "schedule",
        "GITHUB_REF": "refs/heads/main",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_RUN_ID": "1",
        "RUNNER_OS": "Linux",
        "RUNNER_TEMP": str(runner_temp),
        "PYTHONUNBUFFERED": "1",
    }
