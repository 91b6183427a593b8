import { defineProject } from "vitest/config";

// The api's tests start real servers (hardhat node, the API as a child process), hence the long timeouts.
export default defineProject({
  test: {
    name: "api",
    globalSetup: ["@openchart/testkit/builds-fresh.global-setup"],
    setupFiles: ["@openchart/testkit/byte-equality"],
    include: ["src/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // One module cache per worker: the api's test files import the same sdk, ethers and helpers, and loading
    // them again for each file cost 550 CPU-seconds against 404 for the project (measured in BENCHMARKS.md);
    // the API under test runs in its own process either way.
    isolate: false,
  },
});
