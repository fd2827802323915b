"""Harness helper files (run/harness/helpers/*.js) add methods to a probe's `t`: no two may use one
name, nor a name of the core API, or one would silently replace the other in every probe."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

HARNESS = Path(__file__).resolve().parents[1] / "src" / "compatprobe" / "run" / "harness"

# Each helper file is run with stand-ins for what the harness gives it; it reports the names its
# `make` function returns.
LIST_NAMES = """
const fs = require("fs");
const [folder] = process.argv.slice(1);
const found = {};
for (const file of fs.readdirSync(folder).filter((f) => f.endsWith(".js")).sort()) {
  const makes = [];
  const helper = (name, make) => makes.push(make);
  new Function("helper", "Ending", "repr", "exceptionOf", fs.readFileSync(`${folder}/${file}`, "utf8"))(
    helper, class {}, String, (e) => e);
  const context = { win: {}, global: {}, t: {}, record: { events: [], values: {} }, cleanup() {} };
  found[file] = makes.flatMap((make) => Object.keys(make(context)));
}
console.log(JSON.stringify(found));
"""


def core_names() -> set[str]:
    """The methods and fields of `t` that common.js's makeApi defines itself."""
    source = (HARNESS / "common.js").read_text()
    body = source[source.index("const t = {") : source.index("// Resource helpers")]
    return set(re.findall(r"^      (?:async )?(\w+)(?:\(|:)", body, re.M))


def test_no_two_helpers_and_no_helper_and_the_core_share_a_name() -> None:
    proc = subprocess.run(["node", "-e", LIST_NAMES, str(HARNESS / "helpers")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    by_file: dict[str, list[str]] = json.loads(proc.stdout)
    core = core_names()
    assert {"require", "call", "throws", "setup", "watch"} <= core  # the parse found the core API
    owners: dict[str, list[str]] = {}
    for file, names in by_file.items():
        for name in names:
            owners.setdefault(name, []).append(file)
    assert {n: f for n, f in owners.items() if len(f) > 1} == {}
    assert sorted(set(owners) & core) == []
    assert len(owners) >= 15  # every helper file was read
