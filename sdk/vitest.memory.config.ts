import { defineProject } from "vitest/config";
import { MEMORY_TESTS } from "./vitest.config.js";

// Tests that bound a process's live memory (array buffers after a collection) must not count buffers
// another test file left in a shared worker: each runs isolated, and needs no local node.
export default defineProject({
  test: {
    name: "sdk-memory",
    include: MEMORY_TESTS,
    setupFiles: ["@openchart/testkit/byte-equality"],
    testTimeout: 60_000,
    isolate: true,
  },
});
