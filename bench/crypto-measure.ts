// Throughput of the sdk's record encryption, reusable by other benches (bench:records imports these).
// The bench may use node:crypto (as the yardstick); the sdk itself never does.
import { createHash } from "node:crypto";
import type { DecryptOptions, EncryptOptions } from "@openchart/sdk";

// Loaded with import(), not require(): the sdk's ESM-only dependencies (dag-jose-utils -> multiformats) only
// resolve under "import" conditions, and tsx runs this CommonJS-rooted bench through its require hook.
const sdk = () => import("@openchart/sdk");

export const MB = 1_000_000;
/** What fs.createReadStream and File.stream() hand over at a time. */
export const SOURCE_PIECE_BYTES = 64 * 1024;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Deterministic filler bytes (incompressible enough for a cipher; AES does not care). */
export function benchBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = 0x9e3779b9;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
    bytes[i + 1] = (x >>> 8) & 0xff;
    bytes[i + 2] = (x >>> 16) & 0xff;
    bytes[i + 3] = (x >>> 24) & 0xff;
  }
  return bytes;
}

function* pieces(bytes: Uint8Array, size = SOURCE_PIECE_BYTES): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const chunk of stream) n += chunk.length;
  return n;
}

async function timeMBps(bytes: number, run: () => Promise<unknown>, runs: number): Promise<number> {
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    rates.push(bytes / MB / ((performance.now() - start) / 1000));
  }
  return median(rates);
}

/**
 * Median MB/s (plaintext) of `encryptStream` over `plaintext`, fed in 64 KiB pieces with its size announced
 * (as the app passes File.size: the padded format needs the length first, else it reads the stream whole),
 * output drained.
 */
export async function measureEncryptMBps(plaintext: Uint8Array, options: EncryptOptions = {}, runs = 5): Promise<number> {
  const { encryptStream, newContentKey } = await sdk();
  const key = newContentKey();
  return timeMBps(plaintext.length, () => drain(encryptStream(pieces(plaintext), key, { totalBytes: plaintext.length, ...options })), runs);
}

/** Median MB/s (plaintext) of `decryptStream` over a ciphertext of `plaintext`, with sha256 verification. */
export async function measureDecryptMBps(
  plaintext: Uint8Array,
  encryptOptions: EncryptOptions = {},
  options: DecryptOptions = {},
  runs = 5,
): Promise<number> {
  const { decryptStream, encryptBytes, newContentKey } = await sdk();
  const key = newContentKey();
  const { ciphertext, sha256 } = await encryptBytes(plaintext, key, encryptOptions);
  return timeMBps(
    plaintext.length,
    () => drain(decryptStream(pieces(ciphertext), key, { expectedSha256: sha256, ...options })),
    runs,
  );
}

/** Median MB/s of Node's native SHA-256 over the same bytes: the bound the encryptor is measured against. */
export async function measureSha256MBps(bytes: Uint8Array, runs = 5): Promise<number> {
  return timeMBps(bytes.length, async () => createHash("sha256").update(bytes).digest(), runs);
}

/**
 * Encryption against Node's SHA-256, run by run in alternation so both see the same machine load (other
 * processes share the cores): medians of each, and the median of the per-pair ratios.
 */
export async function measureEncryptAgainstSha256(
  data: Uint8Array,
  options: EncryptOptions = {},
  runs = 7,
): Promise<{ encryptMBps: number; sha256MBps: number; encryptRatio: number }> {
  const encrypts: number[] = [];
  const hashes: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    hashes.push(await measureSha256MBps(data, 1));
    encrypts.push(await measureEncryptMBps(data, options, 1));
    ratios.push(encrypts[i]! / hashes[i]!);
  }
  return { encryptMBps: median(encrypts), sha256MBps: median(hashes), encryptRatio: median(ratios) };
}

/** The crypto figures of bench/results/crypto.json. */
export async function measureCrypto(sizeBytes = 100 * MB, runs = 7): Promise<Record<string, number>> {
  const data = benchBytes(sizeBytes);
  const figures: Record<string, number> = {
    ...(await measureEncryptAgainstSha256(data, {}, runs)),
    decryptMBps: await measureDecryptMBps(data, {}, {}, runs),
    // What a browser runs: the same, with the portable (WebAssembly, hash-wasm) SHA-256.
    encryptMBps_portableHash: await measureEncryptMBps(data, { portableHash: true }, 3),
  };
  // The chunk-size choice: WebCrypto costs about the same per call whatever the size.
  for (const [label, chunkBytes] of [["64KiB", 64 * 1024], ["256KiB", 256 * 1024], ["1MiB", 1024 * 1024], ["4MiB", 4 * 1024 * 1024]] as const) {
    figures[`encryptMBps_chunk${label}`] = await measureEncryptMBps(data, { chunkBytes }, 3);
  }
  figures.encryptMBps_parallelism1 = await measureEncryptMBps(data, { parallelism: 1 }, 3);
  return figures;
}
