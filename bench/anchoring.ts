// Anchoring service figures, measured against a real hardhat node and the API running as its own
// process (as in production, SQLite with fully synced commits). `npm run bench:anchoring` (through hardhat
// run, whose TypeScript loader resolves the ESM-only dependencies of the sdk; tsx cannot here).
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Contract, NonceManager, Wallet } from "ethers";
import {
  buildBatch,
  commitmentOf,
  completeReceipt,
  connectRpc,
  documentSha256,
  fetchReceipt,
  newSalt,
  ReceiptVerifier,
  recordRegistryAbi,
  signedFetch,
  verifyReceipt,
  type AnchoredLeaf,
  type Hex,
  type SigningSession,
} from "@openchart/sdk";
import { privateKeyProvider, signInWithEthereum } from "@openchart/sdk/vault";
import { deployContracts, writeDeployment } from "../scripts/chain/deploy";
import { DEV_ACCOUNTS } from "../scripts/chain/dev-accounts";
import { freePort, startHardhatNode } from "../scripts/chain/hardhat-node";
import { writeResults } from "./results";

const ROOT = path.resolve(__dirname, "..");
// Hardhat dev account #1 deploys; #0 (the API's local default key) is the registry's batcher.
const [API_ACCOUNT, DEPLOYER_ACCOUNT] = DEV_ACCOUNTS;
const RUNS = 3;
// POST /anchors takes signed submissions only: the bench signs in as a Node app under these names.
const BENCH_DOMAIN = "openchart-bench";
const BENCH_AUDIENCE = "https://bench.openchart.test";

async function benchSession(): Promise<SigningSession> {
  const { did } = await signInWithEthereum(privateKeyProvider(crypto.randomBytes(32).toString("hex"), 31337), {
    appName: BENCH_DOMAIN,
    resources: [BENCH_AUDIENCE],
  });
  return { did, cacao: did.capability };
}

function submit(session: SigningSession, url: string, leaves: Hex[], key?: string): Promise<Response> {
  return signedFetch(
    session,
    `${url}/anchors`,
    { method: "POST", headers: { "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) }, body: JSON.stringify({ leaves }) },
    { audience: BENCH_AUDIENCE },
  );
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const randomLeaves = (n: number): Hex[] => Array.from({ length: n }, () => commitmentOf(newSalt(), newSalt()));

async function startApi(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, "api/bundle/main.js")], {
    cwd: ROOT,
    // The bench loads the API from loopback far beyond the per-client rate limit.
    env: { ...process.env, API_RATE_LIMIT_ALLOW: "127.0.0.1,::1", ...env, API_PORT: String(port), API_LOG_LEVEL: "warn" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(`${url}/healthz`);
      return { url, child };
    } catch {
      if (i > 300 || child.exitCode !== null) throw new Error("the API did not start (run `npm run build` first)");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** POSTs `requests` bodies of `perRequest` leaves, `concurrency` at a time; leaves/s and p99 latency (ms). */
async function acceptance(session: SigningSession, url: string, requests: number, perRequest: number, concurrency: number): Promise<{ rate: number; p99: number; leaves: Hex[] }> {
  const bodies = Array.from({ length: requests }, () => randomLeaves(perRequest));
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const i = next++;
        const t = performance.now();
        const response = await submit(session, url, bodies[i]!, `bench-${perRequest}-${i}-${Math.random()}`);
        await response.arrayBuffer();
        if (response.status !== 202) throw new Error(`POST /anchors answered ${response.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { rate: (requests * perRequest) / seconds, p99: percentile(latencies, 99), leaves: bodies.flat() };
}

async function anchored(url: string, leaf: Hex): Promise<AnchoredLeaf> {
  for (;;) {
    const state = await fetchReceipt(url, leaf);
    if (state.status === "anchored") return state;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Offline receipt checks per second: depth-10 proofs (a 1,024-leaf batch), the root's chain answer cached. */
async function receiptVerifyRate(): Promise<number> {
  const items = Array.from({ length: 1024 }, () => {
    const documentSha256 = newSalt();
    const salt = newSalt();
    return { documentSha256, salt, leaf: commitmentOf(documentSha256, salt) };
  });
  const batch = buildBatch(items.map((i) => i.leaf));
  const receipts = items.map((i) => ({ ...i, proof: batch.proofOf(i.leaf), root: batch.root, anchoredAt: 1_800_000_000 }));
  const verifier = await ReceiptVerifier.withLookup(async () => ({ at: 1_800_000_000, anchorer: `0x${"ba".repeat(20)}`, leafCount: receipts.length }));
  const rates: number[] = [];
  for (let run = 0; run < 5; run++) {
    let done = 0;
    const started = performance.now();
    while (performance.now() - started < 1000) {
      for (const receipt of receipts) {
        if (!(await verifier.verify(receipt)).verified) throw new Error("a valid receipt failed");
      }
      done += receipts.length;
    }
    rates.push(done / ((performance.now() - started) / 1000));
  }
  return median(rates);
}

async function main(): Promise<void> {
  const figures: Record<string, number> = {};
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-bench-"));
  const chain = await startHardhatNode();
  let api: { url: string; child: ChildProcess } | null = null;
  try {
    const provider = await connectRpc(chain.url);
    const deployment = await deployContracts(new NonceManager(new Wallet(DEPLOYER_ACCOUNT.key, provider)), "localhost", {
      batcher: API_ACCOUNT.address,
    });
    process.env.OPENCHART_DEPLOYMENTS_DIR = work;
    writeDeployment(deployment);
    api = await startApi({
      OPENCHART_RPC_URL: chain.url,
      OPENCHART_DEPLOYMENTS_DIR: work,
      OPENCHART_DATA_DIR: path.join(work, "data"),
      ANCHOR_BATCH_SIZE: "1000",
      ANCHOR_INTERVAL_MS: "1000",
      API_AUTH_DOMAINS: BENCH_DOMAIN,
      API_AUTH_AUDIENCE: BENCH_AUDIENCE,
      // One bench caller submits every leaf, far beyond a patient's day and the per-DID request rate.
      ANCHOR_LEAVES_PER_DID_PER_DAY: "10000000",
      API_RATE_LIMIT_PER_DID_PER_MINUTE: "1000000",
    });
    const session = await benchSession();

    const batched = [];
    const single = [];
    for (let run = 0; run < RUNS; run++) {
      batched.push(await acceptance(session, api.url, 100, 100, 4));
      single.push(await acceptance(session, api.url, 1000, 1, 4));
    }
    figures.leavesPerSec_batch100 = Math.round(median(batched.map((r) => r.rate)));
    figures.p99Ms_batch100 = median(batched.map((r) => r.p99));
    figures.leavesPerSec_single = Math.round(median(single.map((r) => r.rate)));
    figures.p99Ms_single = median(single.map((r) => r.p99));

    // Gas per record observed: every transaction named by the run's receipts, over the leaves they anchored.
    const submitted = [...batched, ...single].flatMap((r) => r.leaves);
    const txs = new Map<string, number>();
    for (const leaf of submitted.filter((_, i) => i % 50 === 0)) {
      const receipt = await anchored(api.url, leaf);
      txs.set(receipt.txHash, 0);
    }
    let gas = 0;
    let records = 0;
    const registry = new Contract(deployment.contracts.RecordRegistry.address, recordRegistryAbi, provider);
    for (const tx of txs.keys()) {
      const mined = (await provider.getTransactionReceipt(tx))!;
      const root = mined.logs[0]!.topics[1]!;
      const [, , leafCount] = (await registry.getFunction("anchorOf")(root)) as [bigint, string, bigint];
      gas += Number(mined.gasUsed);
      records += Number(leafCount);
    }
    figures.gasPerRecord = gas / records;
    figures.batchesObserved = txs.size;

    figures.receiptVerifyPerSec = Math.round(await receiptVerifyRate());

    // A 100 MB document, anchored through the API, then verified end to end from the file on disk:
    // streamed SHA-256, commitment, proof, and the chain (contract, root, transaction, time).
    const file = path.join(work, "scan.bin");
    const handle = fs.openSync(file, "w");
    for (let i = 0; i < 100; i++) fs.writeSync(handle, crypto.randomBytes(1024 * 1024));
    fs.closeSync(handle);
    const sha = await documentSha256(fs.createReadStream(file, { highWaterMark: 1 << 20 }));
    const salt = newSalt();
    const leaf = commitmentOf(sha, salt);
    await submit(session, api.url, [leaf]);
    const receipt = completeReceipt(await anchored(api.url, leaf), sha, salt);
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const check = await verifyReceipt(fs.createReadStream(file, { highWaterMark: 1 << 20 }), receipt, provider);
      times.push((performance.now() - started) / 1000);
      if (!check.verified) throw new Error(`the 100 MB document did not verify: ${check.reason}`);
    }
    figures.verify100MBSeconds = median(times);
    provider.destroy();
  } finally {
    if (api && api.child.exitCode === null) {
      const exited = new Promise((resolve) => api!.child.once("exit", resolve));
      api.child.kill("SIGTERM");
      await exited;
    }
    await chain.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  writeResults("anchoring", figures);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
