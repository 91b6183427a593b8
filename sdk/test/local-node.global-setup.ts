import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startLocalNode } from "@openchart/testkit/local-node";

// Starts the real local node (as `npm start` runs it) once for the sdk's tests, as a child process: the sdk
// depends on no other workspace, only on the node's HTTP APIs (the root's builds-fresh setup has checked its build).

declare module "vitest" {
  export interface ProvidedContext {
    ceramicUrl: string;
    ipfsUrl: string;
    nodeDataDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "openchart-sdk-node-"));
  const node = await startLocalNode({ dataDir, ceramicPort: 0, ipfsPort: 0 });
  project.provide("ceramicUrl", node.endpoints.ceramic);
  project.provide("ipfsUrl", node.endpoints.ipfs);
  project.provide("nodeDataDir", dataDir);
  return async () => {
    await node.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
}
