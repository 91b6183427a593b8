import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { startCeramicNode, type RunningCeramic } from "./ceramic-node.js";
import { deployComposite, readRuntimeDefinition } from "./composites.js";
import { rpcTokenFile, type LocalNodeConfig } from "./config.js";
import { waitUntilHealthy, type NodeEndpoints } from "./health.js";

export { READY_PREFIX } from "./health.js";
import { startIpfsNode, type RunningIpfs } from "./ipfs-node.js";
import { stealthModelIds } from "./stealth-headers.js";

export interface LocalNode {
  endpoints: NodeEndpoints;
  /** Milliseconds from the call to `startLocalNode` until both servers answered their health checks. */
  startMs: number;
  ceramic: RunningCeramic["ceramic"];
  stop(): Promise<void>;
}

/**
 * Starts js-ipfs (Kubo RPC API) and js-ceramic (ComposeDB on SQLite) in this process, with all state
 * under `config.dataDir`, loads OpenChart's models, and resolves once both answer their health checks.
 */
export interface StartOptions {
  /** Load and index OpenChart's models (default true; the compile script starts a bare node). */
  deployComposites?: boolean;
  /** Ceramic's pause between passes of its anchor loop (its default, 60 s, unless a test needs anchors applied sooner). */
  anchorLoopMs?: number;
}

/** The token of an earlier run, else a new one, written owner-only. */
async function rpcToken(dataDir: string): Promise<string> {
  const file = rpcTokenFile(dataDir);
  const kept = await fs.readFile(file, "utf8").catch(() => undefined);
  if (kept?.trim()) return kept.trim();
  const token = randomBytes(32).toString("base64url");
  await fs.writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** Owner-only folders (also when an older run made them readable): the IPFS repo holds the node's private key. */
async function privateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.chmod(dir, 0o700);
}

export async function startLocalNode(config: LocalNodeConfig, options: StartOptions = {}): Promise<LocalNode> {
  const started = performance.now();
  const ipfsDir = path.join(config.dataDir, "ipfs");
  const ceramicDir = path.join(config.dataDir, "ceramic");
  for (const dir of [config.dataDir, ceramicDir, ipfsDir]) await privateDir(dir);

  let ipfs: RunningIpfs | undefined;
  let ceramic: RunningCeramic | undefined;
  const stop = async (): Promise<void> => {
    // Ceramic first: it still flushes writes to IPFS while closing.
    await ceramic?.stop();
    await ipfs?.stop();
  };
  try {
    ipfs = await startIpfsNode({
      repoDir: ipfsDir,
      host: config.host,
      port: config.ipfsPort,
      corsOrigins: config.corsOrigins,
      rpcToken: await rpcToken(config.dataDir),
    });
    ceramic = await startCeramicNode({
      ipfs: ipfs.ipfs,
      stateDir: ceramicDir,
      host: config.host,
      port: config.ceramicPort,
      corsOrigins: config.corsOrigins,
      stealthModels: options.deployComposites === false ? [] : stealthModelIds(await readRuntimeDefinition()),
      ...(options.anchorLoopMs !== undefined ? { anchorLoopMs: options.anchorLoopMs } : {}),
    });
    if (options.deployComposites !== false) await deployComposite(ceramic.ceramic);
    const endpoints = { ceramic: ceramic.url, ipfs: ipfs.rpcUrl };
    await waitUntilHealthy(endpoints);
    return { endpoints, startMs: performance.now() - started, ceramic: ceramic.ceramic, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
