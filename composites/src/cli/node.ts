#!/usr/bin/env node
import { nodeConfigFromEnv } from "../config.js";

// Everything the node writes (the IPFS repo with its private key, Ceramic's state and index) is the user's
// alone: files 0600, folders 0700.
process.umask(0o077);
// aws-sdk v2 (pulled in by Ceramic's S3 state store, unused here) prints an end-of-support notice on import.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= "1";

// `npm run node:local`: runs until SIGINT/SIGTERM, then closes both servers so the repo and databases stay consistent.
async function main(): Promise<void> {
  // Loaded here, not at the top: the notice above is switched off first (and the bundle is CommonJS: no top-level await).
  const { READY_PREFIX, startLocalNode } = await import("../local-node.js");
  const config = nodeConfigFromEnv();
  const node = await startLocalNode(config);
  console.log(`OpenChart local node (state in ${config.dataDir})`);
  console.log(`  Ceramic API    ${node.endpoints.ceramic}`);
  console.log(`  IPFS Kubo RPC  ${node.endpoints.ipfs}`);
  console.log(`  healthy after  ${(node.startMs / 1000).toFixed(1)} s`);
  console.log(`${READY_PREFIX}${JSON.stringify({ ...node.endpoints, startMs: Math.round(node.startMs) })}`);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the local node`);
    node.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("error while stopping the local node:", error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(`local node failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
