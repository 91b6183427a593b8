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
  },
});
