#!/usr/bin/env node
// A committed entry point, so npm can link the `openchart-agent` command at install time, before the
// TypeScript is built; it runs the built CLI (`npm run build` first).
import("../dist/cli.js").then(
  async ({ runCli }) => {
    const io = { out: (line) => console.log(line), err: (line) => console.error(line), env: process.env };
    process.exitCode = await runCli(process.argv.slice(2), io);
  },
  (error) => {
    if (error?.code === "ERR_MODULE_NOT_FOUND") {
      console.error("openchart-agent: the workspace is not built yet: run `npm run build` in the repository root");
      process.exit(2);
    }
    throw error;
  },
);
