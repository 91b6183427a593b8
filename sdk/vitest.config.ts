import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "sdk",
    // One module cache per worker (vitest re-imports every module per file otherwise): a third of the CPU.
    isolate: false,
    include: ["src/**/*.test.ts"],
    // One real local node (js-ceramic + js-ipfs) for all sdk tests; tests use their own DIDs.
    globalSetup: [
      "@openchart/testkit/builds-fresh.global-setup",
      "test/local-node.global-setup.ts",
    ],
    setupFiles: ["@openchart/testkit/byte-equality"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
