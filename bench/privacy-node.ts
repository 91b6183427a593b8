// findGrantsMs_10000 on a real local node (`npm run bench:privacy-node [-- --reuse <dir>] [-- --count N]`):
// 10,000 SealedGrantV2 documents from many accounts, a handful really shared with one doctor through
// RecordVault.shareRecords, the rest stealth headers to other people (each pointing to a real padded grant
// payload in IPFS, as a grant to someone else looks from here); then a fresh doctor vault's listSharedWithMe()
// (the view-tag scan over every header), three times through the node's stealth-header route and three times
// through Ceramic's collection API (what the sdk uses on any other Ceramic node), and a warm re-scan.
// Writing takes minutes: `--reuse <dir>` keeps the node's data dir and the doctor's keys for the next run.
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { processCpuSeconds } from "@openchart/testkit/process-cpu";
import { median } from "./crypto-measure";
import { mergeResults } from "./results";

const vault = () => import("@openchart/sdk/vault");
const sdk = () => import("@openchart/sdk");
// The launcher helper is ESM (import.meta) and this bench is type-checked as CommonJS (see bench/records.ts).
const SPAWNER: string = "../composites/src/spawn";
interface SpawnedNode {
  endpoints: { ceramic: string; ipfs: string };
  pid: number;
  stop(): Promise<number | null>;
}
const spawner = (): Promise<{ spawnLocalNode(options: { dataDir: string; ceramicPort?: number; ipfsPort?: number; timeoutMs?: number }): Promise<SpawnedNode> }> =>
  import(SPAWNER);

type Source = "route" | "collection";
type Header = { id: string; ephemeralKey: string; viewTag: string };

const WRITERS = 40;
const CONCURRENCY = 16;
const REAL_GRANTS = 5;
const STATE_FILE = "bench-privacy-node.json";
/** Data dirs written by an earlier shape of the bench (SealedGrant with inline payloads) cannot be reused. */
const STATE_VERSION = 2;

/** What a reused data dir needs besides the node's own files: who the doctor is and how much was written. */
interface BenchState {
  version?: number;
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

/** CPU time (user + system) a process has used, in ms: on a shared machine a steadier measure than wall time. */
function cpuMsOf(pid: number): number {
  if (pid === process.pid) {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  }
  return processCpuSeconds(pid) * 1000;
}

function uptime(): string {
  return `load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`;
}

async function main(): Promise<void> {
  const { RecordVault, connectCeramic, connectIpfs, didFromSeed, generateEncryptionKey } = await vault();
  const { sealToRecipient, x25519DidKey } = await sdk();
  const { x25519 } = await import("@noble/curves/ed25519.js");
  const count = Number(argOf("--count") ?? 10_000);
  const reuse = argOf("--reuse");
  const dataDir = reuse ?? fs.mkdtempSync(path.join(os.tmpdir(), "openchart-bench-privacy-"));
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const stateFile = path.join(dataDir, STATE_FILE);
  const state: BenchState = fs.existsSync(stateFile)
    ? (JSON.parse(fs.readFileSync(stateFile, "utf8")) as BenchState)
    : { version: STATE_VERSION, written: 0, doctorSeed: randomBytes(32).toString("hex"), doctorSecret: randomBytes(32).toString("hex"), patientSeed: randomBytes(32).toString("hex"), realGrants: 0 };
  if (state.version !== STATE_VERSION) throw new Error(`${dataDir} was written by an older bench:privacy-node (grants with inline payloads): use a new dir`);
  const save = (): void => fs.writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });

  const node = await spawnerStart(dataDir);
  const { ceramic: ceramicUrl, ipfs: ipfsUrl } = node.endpoints;
  try {
    const secretKey = new Uint8Array(Buffer.from(state.doctorSecret, "hex"));
    const publicKey = x25519.getPublicKey(secretKey);
    const doctorKey = { ...generateEncryptionKey(), secretKey, publicKey, did: x25519DidKey(publicKey) };
    const doctorDid = await didFromSeed(state.doctorSeed);
    const doctor = new RecordVault({ did: doctorDid, encryptionKey: doctorKey, ceramicUrl, ipfsUrl });

    if (state.written < count) {
      console.log(`writing ${count - state.written} SealedGrantV2 documents (${state.written} already there), ${CONCURRENCY} at a time`);
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
      // Real grants to other people, padded as a grant is (8 KiB), their sealed payloads in IPFS; each written
      // document gets a fresh ephemeral key and a random tag, as a grant to someone else looks from here. The
      // 1 in 256 whose tag matches the doctor's by chance are fetched and opened like any candidate.
      const author = randomBytes(32);
      const blobs = connectIpfs(ipfsUrl);
      const pool = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const sealed = await sealToRecipient({ grant: "not yours", pad: " ".repeat(8150) }, x25519DidKey(x25519.getPublicKey(randomBytes(32))), author);
          return (await blobs.add(new TextEncoder().encode(sealed.sealed))).cid;
        }),
      );
      const realAt = new Set(Array.from({ length: REAL_GRANTS }, (_, k) => Math.floor(((k + 0.5) * count) / REAL_GRANTS)));
      const expires = new Date(Date.now() + 365 * 86_400_000);
      await pooled(state.written, count, CONCURRENCY, async (i) => {
        if (realAt.has(i) && state.realGrants < REAL_GRANTS) {
          const added = await patient.addRecord({ content: randomBytes(2_000), title: `bench record ${i}`, mediaType: "application/pdf" });
          await patient.shareRecords([added.id], doctor.account, expires);
          state.realGrants++;
          return;
        }
        await stores[i % WRITERS]!.create("SealedGrantV2", { ephemeralKey: x25519Public(), viewTag: randomBytes(1).toString("hex"), payload: pool[i % pool.length]! });
      });
      state.written = count;
      save();
    }

    // Two header sources: the node's stealth-header route (ComposeDB's index alone), and Ceramic's collection API
    // (whole stream states), which is what the sdk reads from any other Ceramic node. The bench pins a store to
    // the collection API by setting its (private) choice of source, as a node without the route would.
    const storeOn = (source: Source): ReturnType<typeof connectCeramic> => {
      const store = connectCeramic(ceramicUrl);
      if (source === "collection") (store as unknown as { headerSources: Map<string, Source> }).headerSources.set("SealedGrantV2", "collection");
      return store;
    };
    const vaultOn = (source: Source): InstanceType<typeof RecordVault> => new RecordVault({ did: doctorDid, encryptionKey: doctorKey, store: storeOn(source), ipfsUrl });

    // Where the time goes: the node's pages alone (no X25519), then the scanner alone over those headers.
    // The first pass after the node starts reads from disk: reported on its own, since a doctor meets a node
    // that has been running.
    const nodePages = async (source: Source): Promise<{ ms: number; headers: Header[] }> => {
      const store = storeOn(source);
      const start = performance.now();
      const headers: Header[] = [];
      for (let cursor: string | null = null; ; ) {
        const page = await store.listStealthHeaders("SealedGrantV2", cursor);
        headers.push(...page.headers);
        cursor = page.cursor;
        if (!page.more) break;
      }
      return { ms: performance.now() - start, headers };
    };
    // The node's own baseline in the same run: its health check, which touches no document.
    const healthMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      await (await fetch(`${ceramicUrl}/api/v0/node/healthcheck`)).arrayBuffer();
      healthMs.push(performance.now() - start);
    }
    const sha256Ms = (): number => {
      const data = randomBytes(64 << 20);
      const start = performance.now();
      createHash("sha256").update(data).digest();
      return performance.now() - start;
    };
    const sha256Before = sha256Ms();

    // One source after the other, not alternated: a collection scan leaves both processes with about 100 MB of
    // garbage (whole stream states serialized and parsed), which slowed the route scan run right after it.
    const fresh: Record<Source, number[]> = { route: [], collection: [] };
    // CPU time of the doctor's process and of the node (Ceramic and IPFS in one process) per fresh scan.
    const cpu: Record<Source, { doctor: number[]; node: number[] }> = { route: { doctor: [], node: [] }, collection: { doctor: [], node: [] } };
    const freshScans = async (source: Source): Promise<void> => {
      for (let run = 0; run < 3; run++) {
        const vault = vaultOn(source);
        const [doctorCpu, nodeCpu] = [cpuMsOf(process.pid), cpuMsOf(node.pid)];
        const start = performance.now();
        const found = (await vault.listSharedWithMe()).length;
        fresh[source].push(performance.now() - start);
        cpu[source].doctor.push(cpuMsOf(process.pid) - doctorCpu);
        cpu[source].node.push(cpuMsOf(node.pid) - nodeCpu);
        console.log(
          `  fresh scan ${run + 1} (${source}): ${fresh[source].at(-1)!.toFixed(0)} ms, ${found} grants found; CPU doctor ${cpu[source].doctor.at(-1)!.toFixed(0)} ms, node ${cpu[source].node.at(-1)!.toFixed(0)} ms (${uptime()})`,
        );
        if (found !== state.realGrants) throw new Error(`the scan found ${found} grants, expected ${state.realGrants}`);
      }
    };

    const coldRoute = await nodePages("route");
    console.log(`route: first pass after the node's start ${coldRoute.ms.toFixed(0)} ms; scanning ${count} grants for the doctor (${uptime()})`);
    await freshScans("route");
    const warm = vaultOn("route");
    await warm.listSharedWithMe();
    const warmStart = performance.now();
    await warm.listSharedWithMe();
    const warmMs = performance.now() - warmStart;
    const route = await nodePages("route");
    const { stealthScanner } = await sdk();
    const scanStart = performance.now();
    const test = stealthScanner(secretKey);
    const candidates = (await Promise.all(route.headers.map((h) => test(h)))).filter(Boolean).length;
    const scannerMs = performance.now() - scanStart;

    const coldCollection = await nodePages("collection");
    console.log(`collection API: first pass ${coldCollection.ms.toFixed(0)} ms (${uptime()})`);
    await freshScans("collection");
    const collection = await nodePages("collection");
    const sha256 = (sha256Before + sha256Ms()) / 2;

    const [load1] = os.loadavg();
    const findGrantsMs = median(fresh.route);
    mergeResults("privacy", {
      findGrantsMs_10000: findGrantsMs,
      findGrantsCollectionMs_10000: median(fresh.collection),
      findGrantsDoctorCpuMs_10000: median(cpu.route.doctor),
      findGrantsNodeCpuMs_10000: median(cpu.route.node),
      findGrantsCollectionDoctorCpuMs_10000: median(cpu.collection.doctor),
      findGrantsCollectionNodeCpuMs_10000: median(cpu.collection.node),
      findGrantsWarmRescanMs_10000: warmMs,
      findGrantsNodeRoutePagesMs_10000: route.ms,
      findGrantsNodePagesMs_10000: collection.ms,
      findGrantsNodeFirstPassRouteMs_10000: coldRoute.ms,
      findGrantsNodeFirstPassMs_10000: coldCollection.ms,
      findGrantsScannerMs_10000: scannerMs,
      findGrantsHeaders: route.headers.length,
      findGrantsCandidates: candidates,
      findGrantsNodeHealthcheckMs: median(healthMs),
      findGrantsSha256Ms_64MiB: sha256,
      findGrants_per_sha256_64MiB: findGrantsMs / sha256,
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
