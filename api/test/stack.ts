import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NonceManager, Wallet } from "ethers";
import { connectRpc, type Deployment } from "@openchart/sdk";
// The test kit's chain: a real `hardhat node` and the compiled contracts, as `npm start` runs them.
import { deployContracts, DEV_ACCOUNTS, REPO_ROOT, startHardhatNode, writeDeployment, type RunningChain } from "@openchart/testkit/chain";
import { builtEntry } from "@openchart/testkit/built";
import { freePort } from "@openchart/testkit/ports";

// Hardhat's second development account deploys, so the API's default key (the first, made the
// registry's batcher) has its own nonces.
const [API_ACCOUNT, DEPLOYER_ACCOUNT] = DEV_ACCOUNTS;

export interface TestChain {
  chain: RunningChain;
  deployment: Deployment;
  deploymentsDir: string;
  stop(): Promise<void>;
}

/** A fresh hardhat node with both registries deployed, its deployment file in a temp dir. */
export async function startTestChain(): Promise<TestChain> {
  const chain = await startHardhatNode();
  const provider = await connectRpc(chain.url);
  const deployer = new NonceManager(new Wallet(DEPLOYER_ACCOUNT.key, provider));
  // scripts/ is CommonJS and sees ethers' CommonJS types; the object is the same at run time.
  const deployment = await deployContracts(deployer as unknown as Parameters<typeof deployContracts>[0], "localhost", {
    batcher: API_ACCOUNT.address,
  });
  provider.destroy();
  const deploymentsDir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-deployments-"));
  const previous = process.env.OPENCHART_DEPLOYMENTS_DIR;
  process.env.OPENCHART_DEPLOYMENTS_DIR = deploymentsDir;
  writeDeployment(deployment);
  if (previous === undefined) delete process.env.OPENCHART_DEPLOYMENTS_DIR;
  else process.env.OPENCHART_DEPLOYMENTS_DIR = previous;
  return {
    chain,
    deployment,
    deploymentsDir,
    async stop() {
      await chain.stop();
      fs.rmSync(deploymentsDir, { recursive: true, force: true });
    },
  };
}

export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

export interface ApiProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  output(): string;
  /** SIGKILL: no shutdown code runs, as in a crash. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Runs the built API (api/bundle/main.js) as a separate process, as in production, and waits until it answers. */
export async function startApi(env: Record<string, string>, port?: number): Promise<ApiProcess> {
  port ??= await freePort();
  const child = spawn(process.execPath, [builtEntry("api", "bundle/main.js")], {
    cwd: REPO_ROOT,
    // Tests poll receipts from loopback far faster than a client would: the rate limit has its own test.
    env: { ...process.env, API_PORT: String(port), API_LOG_LEVEL: "warn", API_RATE_LIMIT_ALLOW: "127.0.0.1,::1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  // Start-up (agent database, issuer DID, chain checks) takes 14 to 28 s on a 2-core machine under load.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode}:\n${log}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the API did not answer in time:\n${log}`);
    }
    try {
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3000) })).status > 0) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { url, pid: child.pid!, child, output: () => log, kill: () => end("SIGKILL"), stop: () => end("SIGTERM") };
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface TestStack {
  testChain: TestChain;
  api: ApiProcess;
  /** The API's whole environment, to start it again (or a variant) on the same chain and data. */
  env: Record<string, string>;
  dataDir: string;
  stop(): Promise<void>;
}

/** A fresh chain with the contracts, and the API on it with its own data directory plus `env`. */
export async function startTestStack(env: Record<string, string> = {}): Promise<TestStack> {
  const testChain = await startTestChain();
  const data = tempDir("openchart-api-");
  const fullEnv = {
    OPENCHART_RPC_URL: testChain.chain.url,
    OPENCHART_DEPLOYMENTS_DIR: testChain.deploymentsDir,
    OPENCHART_DATA_DIR: data.dir,
    ...env,
  };
  const api = await startApi(fullEnv);
  return {
    testChain,
    api,
    env: fullEnv,
    dataDir: data.dir,
    async stop() {
      await api.stop();
      await testChain.stop();
      data.remove();
    },
  };
}
