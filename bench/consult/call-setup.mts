// Call setup in Chromium (part of `npm run bench:consult`): runs e2e/consult-bench.run.ts under vitest (the
// platform launcher's mixed CommonJS/ESM modules load there, not under tsx) and returns its figures.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export async function measureCallSetup(): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-consult-bench-"));
  try {
    const out = path.join(dir, "call-setup.json");
    execFileSync(process.execPath, [path.resolve("node_modules/vitest/vitest.mjs"), "run", "--project", "e2e", "e2e/consult-bench.run.ts"], {
      env: { ...process.env, OPENCHART_BENCH_CONSULT_OUT: out },
      stdio: ["ignore", "inherit", "inherit"],
    });
    return JSON.parse(fs.readFileSync(out, "utf8")) as Record<string, number>;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
