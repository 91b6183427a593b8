// exportGBSeconds and exportPeakRssMB: the patient's exit archive of a 1 GB chart on a real local node
// (fetch from IPFS, decrypt, verify against the commitment, ZIP, write to disk), and of a 256 MB chart, whose
// peak RSS beside the 1 GB one shows the memory stays flat; SHA-256 of 1 GB streamed, in the same run, as baseline.
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { RecordVault, didFromSeed, generateEncryptionKey } from "@openchart/sdk/vault";
import { spawnLocalNode } from "../../composites/src/spawn.ts";

const MB = 1_000_000;
const RECORD = 128 * MB;
const PIECE = 64 * 1024;

/** A record's bytes arriving in 64 KiB pieces, never whole in memory. */
async function* recordBytes(block: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let done = 0; done < size; done += PIECE) yield block.subarray(0, Math.min(PIECE, size - done));
}

/** Peak RSS (MB) while `work` runs, sampled every 20 ms. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMB: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await work();
    return { result, peakMB: Math.max(peak, process.memoryUsage().rss) / MB };
  } finally {
    clearInterval(timer);
  }
}

async function chart(endpoints: { ceramic: string; ipfs: string }, records: number, block: Uint8Array): Promise<RecordVault> {
  const vault = new RecordVault({ did: await didFromSeed(randomBytes(32)), encryptionKey: generateEncryptionKey(), ceramicUrl: endpoints.ceramic, ipfsUrl: endpoints.ipfs });
  await vault.ensureEncryptionProfile();
  for (let i = 0; i < records; i++) await vault.addRecord({ content: recordBytes(block, RECORD), title: `Scan ${i}`, mediaType: "application/dicom", size: RECORD });
  return vault;
}

async function exportTo(vault: RecordVault, file: string): Promise<{ seconds: number; peakMB: number; bytes: number }> {
  const started = performance.now();
  const { peakMB } = await peakRss(() => pipeline(Readable.fromWeb(vault.exitArchive() as NodeReadableStream<Uint8Array>), createWriteStream(file, { mode: 0o600 })));
  const seconds = (performance.now() - started) / 1000;
  const { size } = await fs.stat(file);
  await fs.rm(file);
  return { seconds, peakMB, bytes: size };
}

export async function measureExit(): Promise<Record<string, number>> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "openchart-bench-exit-"));
  const node = await spawnLocalNode({ dataDir, ceramicPort: 0, ipfsPort: 0 });
  try {
    const block = randomBytes(PIECE);
    const small = await chart(node.endpoints, 2, block);
    const large = await chart(node.endpoints, 8, block);
    const out = path.join(dataDir, "exit.zip");
    globalThis.gc?.();
    const idleMB = process.memoryUsage().rss / MB;
    const smallRun = await exportTo(small, out);
    const largeRun = await exportTo(large, out);

    const hashStart = performance.now();
    const hash = createHash("sha256");
    for await (const piece of recordBytes(block, 8 * RECORD)) hash.update(piece);
    hash.digest();
    const sha256Seconds = (performance.now() - hashStart) / 1000;

    const gb = (8 * RECORD) / 1e9;
    return {
      exportChartGB: gb,
      exportGBSeconds: largeRun.seconds / gb,
      exportMBps: (8 * RECORD) / MB / largeRun.seconds,
      exportArchiveOverheadBytes: largeRun.bytes - 8 * RECORD,
      exportIdleRssMB: idleMB,
      exportPeakRssMB_256MB: smallRun.peakMB,
      exportPeakRssMB: largeRun.peakMB,
      exportSha256GBSeconds: sha256Seconds / gb,
      exportVsSha256Ratio: largeRun.seconds / sha256Seconds,
    };
  } finally {
    await node.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}
