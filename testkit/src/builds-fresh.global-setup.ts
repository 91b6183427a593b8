import { builtEntry } from "./built.js";

/** vitest globalSetup of the projects that start the built API, local node or CLI: stops at once if a build is stale. */
export default function buildsFresh(): void {
  builtEntry("api", "bundle/main.js");
  builtEntry("composites", "bundle/node.js");
  builtEntry("sdk", "bundle/cli.js");
}
