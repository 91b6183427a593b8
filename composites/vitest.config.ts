import { defineProject } from "vitest/config";

// These tests start the real local node (js-ceramic + js-ipfs) in child processes.
export default defineProject({
  test: { name: "composites", include: ["src/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 },
});
