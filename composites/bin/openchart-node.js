#!/usr/bin/env node
// A committed entry point, so npm can link the `openchart-node` command at install time, before the
// TypeScript is built; it runs the built launcher (`npm run build` first).
import("../dist/cli/node.js").catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND") {
    console.error("openchart-node: the workspace is not built yet: run `npm run build` in the repository root");
    process.exit(2);
  }
  throw error;
});
