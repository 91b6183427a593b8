import { defineProject } from "vitest/config";

// Browser tests: Debian's Chromium driven by playwright-core against the built web app and a real chain.
// `upload-bench.run.ts` and `keys-bench.run.ts` are measurements, not tests: only `npm run bench:web` and
// `npm run bench:keys` include them.
export default defineProject({
  test: {
    name: "e2e",
    globalSetup: [
      "@openchart/testkit/builds-fresh.global-setup",
      "../scripts/platform/web-build.global-setup.ts",
      // One platform per worker for the files that share one (sharedPlatform in full-platform.mts).
      "./platform-broker.global-setup.ts",
    ],
    setupFiles: ["@openchart/testkit/byte-equality"],
    include: [
      "**/*.test.ts",
      ...(process.env.OPENCHART_BENCH_UPLOAD_OUT
        ? ["upload-bench.run.ts"]
        : []),
      ...(process.env.OPENCHART_BENCH_KEYS_OUT ? ["keys-bench.run.ts"] : []),
      ...(process.env.OPENCHART_BENCH_CONSULT_OUT ? ["consult-bench.run.ts"] : []),
    ],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // A page's list reloads after its status line changes: at load 20 that took over vitest's default second
    // (a sharing test failed so in a loaded run). Polls that wait longer say so themselves.
    expect: { poll: { timeout: 15_000 } },
    // One module cache per worker (test files import the same sdk, ethers and helpers): see BENCHMARKS.md, CI.
    isolate: false,
  },
});
