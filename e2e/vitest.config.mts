import { defineProject } from "vitest/config";

// Browser tests: Debian's Chromium driven by playwright-core against the built web app and a real chain.
export default defineProject({
  test: { name: "e2e", include: ["**/*.test.ts"], testTimeout: 120_000, hookTimeout: 180_000 },
});
