// Key and session figures (issue 14). `npm run bench:keys`. Runs e2e/keys-bench.run.ts in Chromium on a fresh
// local platform (zero recovery waiting period) under vitest, then writes bench/results/keys.json with the
// machine's load average before and after: the figures are only comparable at a similar load.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeResults } from "./results.ts";

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-keys-bench-"));
  try {
    const out = path.join(dir, "keys.json");
    const loadBefore = os.loadavg()[0]!;
    execFileSync(process.execPath, [path.resolve("node_modules/vitest/vitest.mjs"), "run", "--project", "e2e", "e2e/keys-bench.run.ts"], {
      env: { ...process.env, OPENCHART_BENCH_KEYS_OUT: out },
      stdio: ["ignore", "inherit", "inherit"],
    });
    const figures = JSON.parse(fs.readFileSync(out, "utf8")) as Record<string, number>;
    writeResults("keys", {
      ...figures,
      loadAverage1mBefore: Math.round(loadBefore * 100) / 100,
      loadAverage1mAfter: Math.round(os.loadavg()[0]! * 100) / 100,
      cpus: os.cpus().length,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
