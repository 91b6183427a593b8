import { defineProject } from "vitest/config";

// Tests of the hardhat tasks: they start a real `hardhat node` and run the tasks as a user would.
export default defineProject({
  test: {
    name: "scripts",
    globalSetup: ["@openchart/testkit/builds-fresh.global-setup", "./platform/web-build.global-setup.ts"],
    setupFiles: ["@openchart/testkit/byte-equality"],
    include: ["**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // One module cache per worker (test files import the same sdk, ethers and helpers): see BENCHMARKS.md, CI.
    isolate: false,
  },
});
