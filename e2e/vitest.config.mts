import { defineProject } from "vitest/config";

// Browser tests: Debian's Chromium driven by playwright-core against the built web app and a real chain.
// `upload-bench.run.ts` is a measurement, not a test: only `npm run bench:web` includes it.
export default defineProject({
  test: {
    name: "e2e",
    include: ["**/*.test.ts", ...(process.env.OPENCHART_BENCH_UPLOAD_OUT ? ["upload-bench.run.ts"] : [])],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
