// findGrantsMs_10000 on a real local node (`npm run bench:privacy-node [-- --reuse <dir>] [-- --count N]`):
// 10,000 SealedGrant documents from many accounts, a handful really shared with one doctor through
// RecordVault.shareRecords, the rest stealth headers to other people; then a fresh doctor vault's
// listSharedWithMe() (the view-tag scan over every header), three times, and a warm re-scan from the cursor.
// Writing takes minutes: `--reuse <dir>` keeps the node's data dir and the doctor's keys for the next run.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { median } from "./crypto-measure";
import { mergeResults } from "./results";

const vault = () => import("@openchart/sdk/vault");
const sdk = () => import("@openchart/sdk");
// The launcher helper is ESM (import.meta) and this bench is type-checked as CommonJS (see bench/records.ts).
const SPAWNER: string = "../composites/src/spawn";
interface SpawnedNode {
  endpoints: { ceramic: string; ipfs: string };
  stop(): Promise<number | null>;
}
const spawner = (): Promise<{ spawnLocalNode(options: { dataDir: string; ceramicPort?: number; ipfsPort?: number; timeoutMs?: number }): Promise<SpawnedNode> }> =>
  import(SPAWNER);

const WRITERS = 40;
const CONCURRENCY = 16;
const REAL_GRANTS = 5;
const STATE_FILE = "bench-privacy-node.json";

/** What a reused data dir needs besides the node's own files: who the doctor is and how much was written. */
interface BenchState {
  written: number;
  doctorSeed: string;
  doctorSecret: string;
  patientSeed: string;
  realGrants: number;
}

function argOf(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function x25519Public(): string {
  return generateKeyPairSync("x25519").publicKey.export({ format: "jwk" }).x!;
}

/** Runs `task(i)` for i in [from, to) at most `limit` at a time, printing progress. */
async function pooled(from: number, to: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = from;
  let done = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < to) {
      const i = next++;
      await task(i);
      if (++done % 500 === 0) {
        const rate = done / ((performance.now() - started) / 1000);
        console.log(`  ${from + done} / ${to} written (${rate.toFixed(0)}/s, ${uptime()})`);
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

function uptime(): string {
  return `load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`;
}

async function main(): Promise<void> {
  const { RecordVault, connectCeramic, didFromSeed, generateEncryptionKey } = await vault();
  const { sealToRecipient, x25519DidKey } = await sdk();
  const { x25519 } = await import("@noble/curves/ed25519.js");
  const count = Number(argOf("--count") ?? 10_000);
  const reuse = argOf("--reuse");
  const dataDir = reuse ?? fs.mkdtempSync(path.join(os.tmpdir(), "openchart-bench-privacy-"));
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const stateFile = path.join(dataDir, STATE_FILE);
  const state: BenchState = fs.existsSync(stateFile)
    ? (JSON.parse(fs.readFileSync(stateFile, "utf8")) as BenchState)
    : { written: 0, doctorSeed: randomBytes(32).toString("hex"), doctorSecret: randomBytes(32).toString("hex"), patientSeed: randomBytes(32).toString("hex"), realGrants: 0 };
  const save = (): void => fs.writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });

  const node = await spawnerStart(dataDir);
  const { ceramic: ceramicUrl, ipfs: ipfsUrl } = node.endpoints;
  try {
    const secretKey = new Uint8Array(Buffer.from(state.doctorSecret, "hex"));
    const publicKey = x25519.getPublicKey(secretKey);
    const doctorKey = { ...generateEncryptionKey(), secretKey, publicKey, did: x25519DidKey(publicKey) };
    const doctorDid = await didFromSeed(state.doctorSeed);
    const doctorVault = (): InstanceType<typeof RecordVault> => new RecordVault({ did: doctorDid, encryptionKey: doctorKey, ceramicUrl, ipfsUrl });
    const doctor = doctorVault();

    if (state.written < count) {
      console.log(`writing ${count - state.written} SealedGrant documents (${state.written} already there), ${CONCURRENCY} at a time`);
      await doctor.ensureEncryptionProfile();
      const patient = new RecordVault({ did: await didFromSeed(state.patientSeed), encryptionKey: generateEncryptionKey(), ceramicUrl, ipfsUrl });
      await patient.ensureEncryptionProfile();
      const stores = await Promise.all(
        Array.from({ length: WRITERS }, async () => {
          const store = connectCeramic(ceramicUrl);
          store.setDID(await didFromSeed(randomBytes(32)));
          return store;
        }),
      );
      // Real grants to other people, so the documents carry sealed payloads of a real size; each written
      // document gets a fresh ephemeral key and a random tag, as a grant to someone else looks from here.
      const author = randomBytes(32);
      const pool = await Promise.all(Array.from({ length: 8 }, () => sealToRecipient({ grant: "not yours" }, x25519DidKey(x25519.getPublicKey(randomBytes(32))), author)));
      const realAt = new Set(Array.from({ length: REAL_GRANTS }, (_, k) => Math.floor(((k + 0.5) * count) / REAL_GRANTS)));
      const expires = new Date(Date.now() + 365 * 86_400_000);
      await pooled(state.written, count, CONCURRENCY, async (i) => {
        if (realAt.has(i) && state.realGrants < REAL_GRANTS) {
          const added = await patient.addRecord({ content: randomBytes(2_000), title: `bench record ${i}`, mediaType: "application/pdf" });
          await patient.shareRecords([added.id], doctor.account, expires);
          state.realGrants++;
          return;
        }
        await stores[i % WRITERS]!.create("SealedGrant", { ephemeralKey: x25519Public(), viewTag: randomBytes(1).toString("hex"), sealed: pool[i % pool.length]!.sealed });
      });
      state.written = count;
      save();
    }

    // Where the time goes: the node's pages alone (no X25519), then the scanner alone over those headers.
    // The first pass after the node starts reads every state from its on-disk store: reported on its own,
    // since a doctor meets a node that has been running.
    const store = connectCeramic(ceramicUrl);
    const nodePages = async (): Promise<{ ms: number; headers: { id: string; ephemeralKey: string; viewTag: string }[] }> => {
      const start = performance.now();
      const headers: { id: string; ephemeralKey: string; viewTag: string }[] = [];
      for (let cursor: string | null = null; ; ) {
        const page = await store.listStealthHeaders("SealedGrant", cursor);
        headers.push(...page.headers);
        cursor = page.cursor;
        if (!page.more) break;
      }
      return { ms: performance.now() - start, headers };
    };
    const cold = await nodePages();
    console.log(`node's first pass after its start: ${cold.ms.toFixed(0)} ms (${uptime()})`);

    console.log(`scanning ${count} grants for the doctor (${uptime()})`);
    const fresh: number[] = [];
    let found = 0;
    let warm = doctor;
    for (let run = 0; run < 3; run++) {
      warm = doctorVault();
      const start = performance.now();
      found = (await warm.listSharedWithMe()).length;
      fresh.push(performance.now() - start);
      console.log(`  fresh scan ${run + 1}: ${fresh.at(-1)!.toFixed(0)} ms, ${found} grants found`);
    }
    if (found !== state.realGrants) throw new Error(`the scan found ${found} grants, expected ${state.realGrants}`);
    const warmStart = performance.now();
    await warm.listSharedWithMe();
    const warmMs = performance.now() - warmStart;

    const { ms: nodePagesMs, headers } = await nodePages();
    const { stealthScanner } = await sdk();
    const scanStart = performance.now();
    const test = stealthScanner(secretKey);
    const candidates = (await Promise.all(headers.map((h) => test(h)))).filter(Boolean).length;
    const scannerMs = performance.now() - scanStart;

    const [load1] = os.loadavg();
    mergeResults("privacy", {
      findGrantsMs_10000: median(fresh),
      findGrantsWarmRescanMs_10000: warmMs,
      findGrantsNodePagesMs_10000: nodePagesMs,
      findGrantsNodeFirstPassMs_10000: cold.ms,
      findGrantsScannerMs_10000: scannerMs,
      findGrantsHeaders: headers.length,
      findGrantsCandidates: candidates,
      findGrantsLoad1: load1!,
    });
  } finally {
    await node.stop();
    if (!reuse) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function spawnerStart(dataDir: string): Promise<SpawnedNode> {
  const { spawnLocalNode } = await spawner();
  return spawnLocalNode({ dataDir, ceramicPort: 0, ipfsPort: 0, timeoutMs: 180_000 });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
