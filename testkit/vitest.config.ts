import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "testkit",
    setupFiles: ["@openchart/testkit/byte-equality"],
    include: ["src/**/*.test.ts"],
  },
});
