import { defineProject } from "vitest/config";

/** Measures a process's live memory: runs alone in its own module cache (vitest.memory.config.ts). */
export const MEMORY_TESTS = ["src/crypto/stream-pipeline.test.ts"];

export default defineProject({
  test: {
    name: "sdk",
    include: ["src/**/*.test.ts"],
    exclude: MEMORY_TESTS,
    // One real local node (js-ceramic + js-ipfs) for all sdk tests; tests use their own DIDs.
    globalSetup: [
      "@openchart/testkit/builds-fresh.global-setup",
      "test/local-node.global-setup.ts",
    ],
    setupFiles: ["@openchart/testkit/byte-equality"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One module cache per worker: loading the sdk's modules again for each of its 70 files cost 128 CPU-s
    // of the project's vitest workers against 49 (BENCHMARKS.md).
    isolate: false,
  },
});
