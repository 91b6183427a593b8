#!/usr/bin/env node
// A committed entry point, so npm can link the `openchart` command at install time, before the
// TypeScript is built; it runs the built CLI (`npm run build` first), bundled (scripts/bundle.mjs): loading the
// vault's modules one by one cost seconds per command.
import("../bundle/cli.js").catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND") {
    console.error("openchart: the workspace is not built yet: run `npm run build` in the repository root");
    process.exit(2);
  }
  throw error;
});
