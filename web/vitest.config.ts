import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineProject } from "vitest/config";

export default defineProject({
  plugins: [svelte()],
  test: {
    name: "web",
    // One module cache per worker (vitest re-imports every module per file otherwise): a third of the CPU.
    isolate: false,
    setupFiles: ["@openchart/testkit/byte-equality"],
    include: ["src/**/*.test.ts"],
  },
});
