// A hardhat node with both registries and the built API (api/bundle/main.js) on it, for bench:api.
// api/test/stack.ts does the same for the tests but reaches the chain through scripts/chain (CommonJS),
// which tsx cannot load next to the ESM-only sdk (see the note in bench/crypto-measure.ts); this file stays ESM.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { ContractFactory, NonceManager, Wallet } from "ethers";
import { connectRpc } from "@openchart/sdk";
import { freePort } from "../scripts/chain/free-port.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
// Hardhat's public development accounts: #0 is the API's default batcher key, #1 deploys.
const BATCHER = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const DEPLOYER_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

/**
 * The API's configuration for a load test from one loopback client: the issuer's DID, API tokens that last
 * the run, and the per-IP and per-DID limits lifted (the one client and its one user would be cut off).
 */
export function benchApiEnv(signInEnv: Record<string, string>, issuerAddress: string): Record<string, string> {
  return {
    ...signInEnv,
    API_ISSUER_DIDS: `did:pkh:eip155:31337:${issuerAddress.toLowerCase()}`,
    API_RATE_LIMIT_ALLOW: "127.0.0.1,::1",
    API_RATE_LIMIT_PER_MINUTE: "10000000",
    API_RATE_LIMIT_PER_DID_PER_MINUTE: "10000000",
    API_TOKEN_TTL_SECONDS: "3600",
  };
}

export interface BenchStack {
  apiUrl: string;
  rpcUrl: string;
  consentRegistry: string;
  /** Hardhat's public account #1: deployed the contracts, idle since (the bench's consents are sent from it). */
  deployerKey: string;
  stop(): Promise<void>;
}

async function waitFor(child: ChildProcess, what: string, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await ready().catch(() => false))) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`${what} did not start in time`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** The chain and its contracts, without an API: for benches that start their own (bench:scale starts two). */
export interface BenchChain {
  rpcUrl: string;
  /** Holds the deployment file (`localhost.json`); API data directories go under it. */
  dir: string;
  recordRegistry: string;
  consentRegistry: string;
  /** The API's default batcher account (Hardhat's #0), which only ever sends anchoring transactions. */
  batcher: string;
  deployerKey: string;
  stop(): Promise<void>;
}

export interface BenchApi {
  url: string;
  pid: number;
  /** SIGKILL, as in a crash. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function startBenchChain(): Promise<BenchChain> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-bench-api-"));
  let chain: ChildProcess | undefined;
  const cleanup = async () => {
    if (chain) await stop(chain);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const chainPort = await freePort();
    const hardhat = createRequire(import.meta.url).resolve("hardhat/internal/cli/cli.js", { paths: [ROOT] });
    chain = spawn(process.execPath, [hardhat, "node", "--hostname", "127.0.0.1", "--port", String(chainPort)], { cwd: ROOT, stdio: "ignore" });
    const rpcUrl = `http://127.0.0.1:${chainPort}`;
    await waitFor(chain, "hardhat node", async () => ((await connectRpc(rpcUrl, 1000)).destroy(), true));

    const provider = await connectRpc(rpcUrl);
    const deployer = new NonceManager(new Wallet(DEPLOYER_KEY, provider));
    const contracts: Record<string, { address: string; blockNumber: number; txHash: string; artifact: string }> = {};
    for (const [name, args] of [["RecordRegistry", [BATCHER]], ["ConsentRegistry", []]] as const) {
      const artifact = `artifacts/contracts/${name}.sol/${name}.json`;
      const { abi, bytecode } = JSON.parse(fs.readFileSync(path.join(ROOT, artifact), "utf8")) as { abi: never; bytecode: string };
      const contract = await new ContractFactory(abi, bytecode, deployer).deploy(...args);
      const receipt = (await contract.deploymentTransaction()!.wait())!;
      contracts[name] = { address: (await contract.getAddress()).toLowerCase(), blockNumber: receipt.blockNumber, txHash: receipt.hash, artifact };
    }
    provider.destroy();
    const deployment = { network: "localhost", chainId: 31337, deployedAt: new Date().toISOString(), batcher: BATCHER, contracts };
    fs.writeFileSync(path.join(dir, "localhost.json"), JSON.stringify(deployment, null, 2));
    return {
      rpcUrl,
      dir,
      recordRegistry: contracts.RecordRegistry!.address,
      consentRegistry: contracts.ConsentRegistry!.address,
      batcher: BATCHER,
      deployerKey: DEPLOYER_KEY,
      stop: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** The built API (api/bundle/main.js) on the bench chain, with `env` over the chain's settings; waits until it answers. */
export async function startBenchApi(chain: BenchChain, env: Record<string, string>, port?: number): Promise<BenchApi> {
  const apiPort = port ?? (await freePort());
  // BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the API (written when it stops).
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const api = spawn(process.execPath, [...nodeArgs, path.join(ROOT, "api", "bundle", "main.js")], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      OPENCHART_RPC_URL: chain.rpcUrl,
      OPENCHART_DEPLOYMENTS_DIR: chain.dir,
      OPENCHART_DATA_DIR: path.join(chain.dir, "data"),
      API_PORT: String(apiPort),
      API_LOG_LEVEL: "warn",
      ...env,
    },
  });
  const url = `http://127.0.0.1:${apiPort}`;
  try {
    await waitFor(api, "the API", async () => (await fetch(`${url}/healthz`)).status > 0);
  } catch (error) {
    await stop(api);
    throw error;
  }
  const end = async (signal: NodeJS.Signals) => {
    if (api.exitCode !== null || api.signalCode !== null) return;
    const exited = new Promise((resolve) => api.once("exit", resolve));
    api.kill(signal);
    await exited;
  };
  return { url, pid: api.pid!, kill: () => end("SIGKILL"), stop: () => end("SIGTERM") };
}

export async function startBenchStack(env: Record<string, string>): Promise<BenchStack> {
  const chain = await startBenchChain();
  try {
    const api = await startBenchApi(chain, env);
    const stopAll = async () => {
      await api.stop();
      await chain.stop();
    };
    return { apiUrl: api.url, rpcUrl: chain.rpcUrl, consentRegistry: chain.consentRegistry, deployerKey: chain.deployerKey, stop: stopAll };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}
