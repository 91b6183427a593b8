import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "agent",
    // One module cache per worker (vitest re-imports every module per file otherwise): a third of the CPU.
    isolate: false,
    setupFiles: ["@openchart/testkit/byte-equality"],
    include: ["src/**/*.test.ts"],
    globalSetup: ["src/test/postgres-global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
