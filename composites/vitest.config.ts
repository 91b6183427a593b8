import { defineProject } from "vitest/config";

// These tests start the real local node (js-ceramic + js-ipfs) in child processes.
export default defineProject({
  test: {
    name: "composites",
    globalSetup: ["@openchart/testkit/builds-fresh.global-setup"],
    setupFiles: ["@openchart/testkit/byte-equality"],
    include: ["src/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One module cache per worker (test files import the same sdk, ethers and helpers): see BENCHMARKS.md, CI.
    isolate: false,
    // aws-sdk v2 (Ceramic's unused S3 store) prints an end-of-support notice on import.
    env: { AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1" },
  },
});
