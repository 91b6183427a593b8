import { bytesToHex, randomBytes } from "@noble/hashes/utils.js";
import { invalidInput } from "../errors.js";
import type { Hex } from "../hex.js";
import { ByteReader, collectBytes, type ByteSource } from "./byte-reader.js";
import { FramedSource } from "./padded-frame.js";
import { createSha256, sha256Whole } from "./sha256.js";
import {
  CONTENT_KEY_BYTES,
  DEFAULT_CHUNK_BYTES,
  MAX_CHUNKS,
  checkChunkBytes,
  checkContentKey,
  newHeader,
  nonceOf,
  type StreamHeader,
} from "./stream-format.js";
import {
  DEFAULT_PARALLELISM,
  InOrderQueue,
  LaterResult,
  buffer,
  checkParallelism,
  resultStream,
  subtleCrypto,
  type ProgressCallback,
  type ResultStream,
} from "./stream-pipeline.js";

export interface EncryptOptions {
  /** Plaintext bytes per chunk, recorded in the header (default {@link DEFAULT_CHUNK_BYTES}). */
  chunkBytes?: number;
  /** The plaintext size when known (e.g. `File.size`): lets a stream be encrypted without holding it whole
   * (the padded format needs the length first); passed to `onProgress`. */
  totalBytes?: number;
  /** Called after each chunk is emitted, with plaintext bytes done. */
  onProgress?: ProgressCallback;
  /** Chunks encrypted at once (default {@link DEFAULT_PARALLELISM}). */
  parallelism?: number;
  /** Hash with the portable implementation even in Node (what browsers run; for benchmarks and tests). */
  portableHash?: boolean;
}

export interface EncryptResult {
  /** SHA-256 of the plaintext, 0x-hex: the `documentSha256` of the commitment. */
  sha256: Hex;
  plaintextBytes: number;
  ciphertextBytes: number;
  chunkBytes: number;
}

/** A fresh random 256-bit content key: one per file (and per version of a file). */
export function newContentKey(): Uint8Array {
  return randomBytes(CONTENT_KEY_BYTES);
}

/**
 * Encrypts a stream chunk by chunk, padded to its size class (format version 2, see stream-format.ts), and
 * hashes the plaintext in the same pass. Read the returned stream to the end (e.g. into an IPFS add), then
 * `await stream.result` for the SHA-256 and sizes. Memory stays at a few chunks whatever the file size: the
 * source is pulled only as fast as the output is read.
 *
 * The plaintext's length goes first into the first chunk, so it must be known before anything is sealed: it
 * is `totalBytes` when given (e.g. `File.size`; a source that then holds more or fewer bytes fails the stream
 * with INVALID_INPUT), or the length of a Uint8Array source. A stream of unknown length is read whole into
 * memory first (the only way to learn its length before its first chunk): pass `totalBytes` for large files.
 */
export function encryptStream(source: ByteSource, contentKey: Uint8Array, options: EncryptOptions = {}): ResultStream<EncryptResult> {
  checkContentKey(contentKey);
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  checkChunkBytes(chunkBytes);
  const parallelism = options.parallelism ?? DEFAULT_PARALLELISM;
  checkParallelism(parallelism);
  if (options.totalBytes !== undefined && !(Number.isSafeInteger(options.totalBytes) && options.totalBytes >= 0)) {
    throw invalidInput(`totalBytes must be a byte count, got ${options.totalBytes}`);
  }
  const key = contentKey.slice(); // the caller may wipe or reuse its array while we stream
  const knownBytes = options.totalBytes ?? (source instanceof Uint8Array ? source.length : undefined);
  // Bytes held whole are hashed in one call (WebCrypto's SHA-256 in a browser, several times hash-wasm's
  // speed); a stream is hashed piece by piece as it is read.
  const heldWhole = source instanceof Uint8Array ? source : undefined;
  return resultStream("encrypted stream", () => encryptChunks(new ByteReader(source), heldWhole, knownBytes, key, chunkBytes, parallelism, options));
}

async function* encryptChunks(
  source: ByteReader,
  heldWhole: Uint8Array | undefined,
  knownBytes: number | undefined,
  rawKey: Uint8Array,
  chunkBytes: number,
  parallelism: number,
  options: EncryptOptions,
): AsyncGenerator<Uint8Array, EncryptResult | LaterResult<EncryptResult>> {
  try {
    const portable = { portable: options.portableHash === true };
    const hash = heldWhole === undefined ? await createSha256(portable) : undefined;
    let reader = source;
    let dataBytes = knownBytes;
    if (dataBytes === undefined) {
      const whole = await readWhole(source, chunkBytes);
      reader = new ByteReader(whole.parts);
      dataBytes = whole.bytes;
    }
    const framed = new FramedSource(reader, dataBytes, (data) => hash?.update(data));
    let dataDone = 0;
    const sealed = sealChunks(rawKey, newHeader(rawKey, chunkBytes), parallelism, async (size) => {
      const before = framed.dataRead;
      const plain = await framed.read(size);
      return { plain, dataBytes: framed.dataRead - before };
    });
    for (;;) {
      const next = await sealed.next();
      if (next.done === true) {
        const result = (digest: Uint8Array): EncryptResult => ({ sha256: `0x${bytesToHex(digest)}`, plaintextBytes: dataDone, ciphertextBytes: next.value, chunkBytes });
        if (hash !== undefined) return result(hash.digest());
        // Bytes held whole are hashed last, and only a task after the stream has ended: Chromium's WebCrypto
        // hashes on the calling thread (20 MiB in 30 to 50 ms), so the consumer first learns the stream ended
        // and sends its last block (an IPFS import cuts its last leaf only then) instead of waiting for the hash.
        return new LaterResult(nextTask().then(() => sha256Whole(heldWhole!, portable)).then(result));
      }
      yield next.value.bytes;
      if (next.value.dataBytes !== undefined) {
        dataDone += next.value.dataBytes;
        options.onProgress?.(dataDone, options.totalBytes);
      }
    }
  } finally {
    await source.close();
  }
}

/** Resolves in a later task (a timer), after the promise jobs queued now have run. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A source of unknown length, copied whole (a source may reuse the buffers it hands out). */
async function readWhole(reader: ByteReader, pieceBytes: number): Promise<{ parts: Uint8Array[]; bytes: number }> {
  const parts: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const piece = await reader.read(pieceBytes);
    if (piece.length > 0) parts.push(piece.slice());
    bytes += piece.length;
    if (piece.length < pieceBytes) return { parts, bytes };
  }
}

interface PlainChunk {
  plain: Uint8Array;
  /** Data bytes in it, for progress (the rest is framing). */
  dataBytes: number;
}

/**
 * Seals a STREAM plaintext that `next(size)` serves chunk by chunk (a short chunk ends it) under `header`:
 * yields the header, then each sealed chunk with its data bytes; returns the ciphertext size. Exported for
 * tests that must build streams no honest writer makes (version 1, forged frames).
 */
export async function* sealChunks(
  rawKey: Uint8Array,
  header: StreamHeader,
  parallelism: number,
  next: (size: number) => Promise<PlainChunk>,
): AsyncGenerator<{ bytes: Uint8Array; dataBytes?: number }, number> {
  const subtle = subtleCrypto();
  const key = await subtle.importKey("raw", buffer(rawKey), "AES-GCM", false, ["encrypt"]);
  const queue = new InOrderQueue<{ sealed: Uint8Array; dataBytes: number }>();
  let ciphertextBytes = header.bytes.length;
  yield { bytes: header.bytes };
  for (let counter = 0; ; counter++) {
    if (counter >= MAX_CHUNKS) throw invalidInput(`a stream holds at most ${MAX_CHUNKS} chunks: use a larger chunk size`);
    const { plain, dataBytes } = await next(header.chunkBytes);
    const final = plain.length < header.chunkBytes; // the last chunk is short, possibly empty
    queue.push(seal(subtle, key, header, counter, final, plain).then((sealed) => ({ sealed, dataBytes })));
    while (queue.size >= parallelism || (final && queue.size > 0)) {
      const done = await queue.shift();
      ciphertextBytes += done.sealed.length;
      yield { bytes: done.sealed, dataBytes: done.dataBytes };
    }
    if (final) return ciphertextBytes;
  }
}

async function seal(subtle: SubtleCrypto, key: CryptoKey, header: StreamHeader, counter: number, final: boolean, plain: Uint8Array): Promise<Uint8Array> {
  const params: AesGcmParams = { name: "AES-GCM", iv: buffer(nonceOf(header, counter, final)), additionalData: buffer(header.bytes) };
  // WebCrypto copies `plain` before returning, so the reader may reuse the source's buffer afterwards.
  return new Uint8Array(await subtle.encrypt(params, key, buffer(plain)));
}

/** Encrypts bytes held in memory (small records, tests). */
export async function encryptBytes(
  plaintext: Uint8Array,
  contentKey: Uint8Array,
  options: EncryptOptions = {},
): Promise<EncryptResult & { ciphertext: Uint8Array }> {
  const stream = encryptStream(plaintext, contentKey, { totalBytes: plaintext.length, ...options });
  const ciphertext = await collectBytes(stream);
  return { ciphertext, ...(await stream.result) };
}
