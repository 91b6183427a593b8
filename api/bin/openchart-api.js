#!/usr/bin/env node
// A committed entry point, so npm can link the `openchart-api` command at install time, before the
// TypeScript is built; it runs the built CLI (`npm run build` first).
import("../bundle/cli.js").catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND") {
    console.error("openchart-api: the workspace is not built yet: run `npm run build` in the repository root");
    process.exit(2);
  }
  throw error;
});
