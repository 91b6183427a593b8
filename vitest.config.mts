import os from "node:os";
import { defineConfig } from "vitest/config";

// Each workspace that has tests brings its own vitest.config.ts; the root runs them all.
// Most test files spend their time waiting on real servers they start (chain, Ceramic, IPFS, API,
// Chromium), not on the CPU: vitest's default of one worker per core but one leaves a 2-core machine
// running them one at a time. Three files at once per two cores roughly halves the suite's wall time
// (measured in BENCHMARKS.md); OPENCHART_TEST_WORKERS overrides it.
const workers = Number(process.env.OPENCHART_TEST_WORKERS) || Math.max(2, Math.ceil(os.availableParallelism() * 1.5));

export default defineConfig({
  test: {
    projects: ["*/vitest.config.{ts,mts}", "sdk/vitest.memory.config.ts"],
    maxWorkers: workers,
  },
});
