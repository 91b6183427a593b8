import fs from "node:fs";
import path from "node:path";
import type { Deployment } from "@openchart/sdk";
import { deploymentsDirOf } from "@openchart/sdk/deployment-file";
import { DEV_ACCOUNTS, REPO_ROOT } from "../chain/dev-accounts";
import { startApi } from "./api";
import { startPersistentChain } from "./chain";
import type { ReplayResult } from "./chain-replay";
import { seedDemo, type DemoState } from "./demo";
import { ensureDeployment } from "./deployment";
import { ensureIssuerDid } from "./issuer";
import { startLocalNode } from "./local-node";
import { checkPortsFree, resolvePorts, type Ports } from "./ports";
import { sessionHoursOf } from "./session-hours";
import { checkDataFormat } from "./data-format";
import { wipeDataDir } from "./reset";
import { serveWebApp } from "./static-site";
import { buildWebApp } from "./web-build";

export { PlatformError, PORT_SETTINGS, type Ports } from "./ports";
export type { DemoState } from "./demo";

export interface PlatformOptions {
  /** State folder (default OPENCHART_DATA_DIR, else `.data/` in the repository). */
  dataDir?: string;
  /** Wipe the state folder first. */
  reset?: boolean;
  /** Seed the demo patient, doctor, records and grant (once; remembered in `<dataDir>/demo.json`). */
  demo?: boolean;
  /** Ports by service; unset ones come from the environment or the defaults, 0 picks a free one. */
  ports?: Partial<Ports>;
  /** Where `localhost.json` is written (default OPENCHART_DEPLOYMENTS_DIR, else `deployments/`). */
  deploymentsDir?: string;
  /** Progress lines while starting; silent when unset. */
  log?: (line: string) => void;
  /** Unlocked accounts the chain's node holds (Hardhat's 20 unless set): the browser tests' shared platforms need more. */
  chainAccounts?: number;
  /**
   * API settings for this platform only, over this process's environment: the browser tests' shared platforms
   * are started by vitest's main process, whose environment every test worker inherits.
   */
  apiEnv?: Record<string, string>;
}

export interface PlatformEndpoints {
  web: string;
  chain: string;
  api: string;
  ceramic: string;
  ipfs: string;
}

export interface Platform {
  /** The web app: the one URL a user opens. */
  url: string;
  endpoints: PlatformEndpoints;
  /**
   * Headers the launcher's own clients (tests, test wallets) send to the chain for development calls and
   * the node's unlocked accounts; web pages get neither these nor those methods.
   */
  chainLauncherHeaders: { authorization: string };
  deployment: Deployment;
  dataDir: string;
  /** The agent's DID that signs license credentials. */
  issuerDid: string;
  /** DIDs the API lets issue and revoke licenses (API_ISSUER_DIDS). */
  issuerWallets: string[];
  pids: { chain: number; node: number; api: number };
  /** What a restart replayed onto the chain (undefined on a fresh chain). */
  replayed: ReplayResult | undefined;
  wiped: string[];
  demo: DemoState | undefined;
  /** Stops everything this call started, last started first; safe to call twice. */
  stop(): Promise<void>;
}

/** Development account #5's did:pkh: the local issuer wallet (the API's issuer role) unless API_ISSUER_DIDS says otherwise. */
export const LOCAL_ISSUER_WALLET = DEV_ACCOUNTS[5];
export const didPkhOf = (address: string, chainId = 31337): string => `did:pkh:eip155:${chainId}:${address.toLowerCase()}`;

/**
 * Brings up the whole local platform: the chain (replayed from the journal or freshly deployed), the
 * Ceramic + IPFS node, the agent's issuer DID, the API, and the built web app with its `/config.json`.
 * Sets this process's umask to 077, so that the state folder stays owner-only.
 * A failure at any step stops what already started and rethrows.
 */
export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir ?? process.env.OPENCHART_DATA_DIR ?? path.join(REPO_ROOT, ".data"));
  const deploymentsDir = deploymentsDirOf({ dir: options.deploymentsDir, root: REPO_ROOT });
  const wiped = options.reset ? wipeDataDir(dataDir) : [];
  if (options.reset) log(wiped.length ? `wiped ${dataDir}: ${wiped.map((p) => path.basename(p)).join(", ")}` : `nothing to wipe in ${dataDir}`);
  const sessionHours = sessionHoursOf(process.env.OPENCHART_SESSION_HOURS);
  const ports = await resolvePorts(options.ports);
  await checkPortsFree(ports);
  // Everything the platform writes here (chain journal, databases, the IPFS repo with its private key,
  // keys, logs) is the user's alone: the children inherit the umask; the folder closes an older run's.
  process.umask(0o077);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
  checkDataFormat(dataDir);

  const url = `http://127.0.0.1:${ports.web}/`;
  const webOrigins = [`http://127.0.0.1:${ports.web}`, `http://localhost:${ports.web}`];
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const agentEnv = { ...process.env, OPENCHART_DATA_DIR: dataDir, OPENCHART_API_URL: apiUrl };
  const stoppers: { name: string; stop: () => Promise<void> }[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      for (const { stop } of stoppers.reverse()) await stop().catch(() => undefined);
    })());

  try {
    log("starting the chain, the Ceramic + IPFS node and the web app build");
    const [chain, node, web, issuerDid] = await settleAll(
      [
        startPersistentChain({ dataDir, port: ports.chain, webOrigins, ...(options.chainAccounts ? { accounts: options.chainAccounts } : {}) }),
        startLocalNode({ dataDir, ceramicPort: ports.ceramic, ipfsPort: ports.ipfs, corsOrigins: webOrigins }),
        buildWebApp(),
        ensureIssuerDid(agentEnv),
      ] as const,
      (started) => {
        if ("stop" in started) stoppers.push({ name: "started", stop: () => started.stop().then(() => undefined) });
      },
    );
    if (chain.replayed) log(`chain: replayed ${chain.replayed.blocks} blocks (${chain.replayed.transactions} transactions) in ${(chain.replayed.ms / 1000).toFixed(1)} s`);
    const { deployment, reused } = await ensureDeployment({ rpcUrl: chain.url, dataDir, deploymentsDir });
    log(reused ? "contracts: kept from the last run" : "contracts: deployed");
    const issuerWallets = (process.env.API_ISSUER_DIDS ?? didPkhOf(LOCAL_ISSUER_WALLET.address)).split(",").map((d) => d.trim()).filter(Boolean);
    const endpoints: PlatformEndpoints = { web: url, chain: chain.url, api: apiUrl, ceramic: node.endpoints.ceramic, ipfs: node.endpoints.ipfs };
    log("starting the API");
    const api = await startApi({
      dataDir,
      deploymentsDir,
      port: ports.api,
      endpoints,
      webOrigins,
      issuerDids: issuerWallets,
      logFile: path.join(dataDir, "logs", "api.log"),
      ...(options.apiEnv ? { env: options.apiEnv } : {}),
    });
    stoppers.push({ name: "api", stop: () => api.stop() });
    const demo = options.demo ? await seedDemo({ dataDir, endpoints, deployment, log }) : undefined;
    const site = await serveWebApp({
      root: web.dir,
      port: ports.web,
      config: {
        chainId: deployment.chainId,
        rpcUrl: chain.url,
        apiUrl,
        apiAudience: apiUrl,
        ceramicUrl: node.endpoints.ceramic,
        ipfsUrl: node.endpoints.ipfs,
        contracts: { RecordRegistry: deployment.contracts.RecordRegistry.address, ConsentRegistry: deployment.contracts.ConsentRegistry.address },
        sessionHours,
      },
    });
    stoppers.push({ name: "web", stop: () => site.close() });
    return {
      url,
      endpoints,
      chainLauncherHeaders: chain.launcherHeaders,
      deployment,
      dataDir,
      issuerDid,
      issuerWallets,
      pids: { chain: chain.pid, node: node.pid, api: api.pid },
      replayed: chain.replayed,
      wiped,
      demo,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Like Promise.all, but waits for every start to settle, hands each started part to `onStarted` (so a
 * failure of one still stops the others), then throws the first failure.
 */
async function settleAll<T extends readonly unknown[]>(
  starts: { [K in keyof T]: Promise<T[K]> },
  onStarted: (started: { stop(): Promise<unknown> } | object) => void,
): Promise<T> {
  const results = await Promise.allSettled(starts);
  for (const result of results) if (result.status === "fulfilled" && typeof result.value === "object" && result.value !== null) onStarted(result.value);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
