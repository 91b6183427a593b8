import { defineConfig } from "vitest/config";

// Each workspace that has tests brings its own vitest.config.ts; the root runs them all.
export default defineConfig({
  test: {
    projects: ["*/vitest.config.{ts,mts}"],
  },
});
