import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

// Starts the real local node (composites/bundle/node.js, as `npm start` runs it) once for the sdk's tests, as a child
// process: the sdk depends on no other workspace, only on the node's HTTP APIs and ready line.
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
// The built launcher, as `npm start` runs it (the root's builds-fresh setup has checked it is not stale).
const LAUNCHER = path.join(REPO_ROOT, "composites/bundle/node.js");
// As composites/src/spawn.ts runs it: dependencies' `new Buffer()` calls inside the bundle would warn.
const LAUNCHER_FLAGS = ["--disable-warning=DEP0005"];
const READY = "OPENCHART_NODE_READY ";

declare module "vitest" {
  export interface ProvidedContext {
    ceramicUrl: string;
    ipfsUrl: string;
    nodeDataDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "openchart-sdk-node-"));
  const child = spawn(process.execPath, [...LAUNCHER_FLAGS, LAUNCHER], {
    cwd: REPO_ROOT,
    env: { ...process.env, OPENCHART_DATA_DIR: dataDir, OPENCHART_CERAMIC_PORT: "0", OPENCHART_IPFS_PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const ready = await new Promise<{ ceramic: string; ipfs: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local node not ready in 90 s:\n${output}`)), 90_000);
    child.stdout.on("data", (data: Buffer) => {
      output += data.toString();
      const line = output.split("\n").find((l) => l.startsWith(READY));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(READY.length)) as { ceramic: string; ipfs: string });
      }
    });
    child.stderr.on("data", (data: Buffer) => (output += data.toString()));
    void exited.then((code) => reject(new Error(`local node exited (${code}) before ready:\n${output}`)));
  });
  project.provide("ceramicUrl", ready.ceramic);
  project.provide("ipfsUrl", ready.ipfs);
  project.provide("nodeDataDir", dataDir);
  return async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    await fs.rm(dataDir, { recursive: true, force: true });
  };
}
