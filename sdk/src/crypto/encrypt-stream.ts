import { bytesToHex, randomBytes } from "@noble/hashes/utils.js";
import { invalidInput } from "../errors.js";
import type { Hex } from "../hex.js";
import { ByteReader, collectBytes, type ByteSource } from "./byte-reader.js";
import { createSha256 } from "./sha256.js";
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
  /** The plaintext size when known (e.g. `File.size`): passed to `onProgress`. */
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
 * Encrypts a stream chunk by chunk and hashes the plaintext in the same pass. Read the returned stream to
 * the end (e.g. into an IPFS add), then `await stream.result` for the SHA-256 and sizes. Memory stays at a
 * few chunks whatever the file size: the source is pulled only as fast as the output is read.
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
  return resultStream("encrypted stream", () => encryptChunks(new ByteReader(source), key, chunkBytes, parallelism, options));
}

async function* encryptChunks(
  reader: ByteReader,
  rawKey: Uint8Array,
  chunkBytes: number,
  parallelism: number,
  options: EncryptOptions,
): AsyncGenerator<Uint8Array, EncryptResult> {
  const subtle = subtleCrypto();
  const key = await subtle.importKey("raw", buffer(rawKey), "AES-GCM", false, ["encrypt"]);
  const header = newHeader(rawKey, chunkBytes);
  const hash = createSha256({ portable: options.portableHash === true });
  const queue = new InOrderQueue<{ sealed: Uint8Array; plainBytes: number }>();
  let ciphertextBytes = header.bytes.length;
  let plaintextDone = 0;
  try {
    yield header.bytes;
    for (let counter = 0; ; counter++) {
      if (counter >= MAX_CHUNKS) throw invalidInput(`a stream holds at most ${MAX_CHUNKS} chunks: use a larger chunk size`);
      const plain = await reader.read(chunkBytes);
      const final = plain.length < chunkBytes; // the last chunk is short, possibly empty
      hash.update(plain);
      queue.push(seal(subtle, key, header, counter, final, plain));
      while (queue.size >= parallelism || (final && queue.size > 0)) {
        const { sealed, plainBytes } = await queue.shift();
        ciphertextBytes += sealed.length;
        plaintextDone += plainBytes;
        yield sealed;
        options.onProgress?.(plaintextDone, options.totalBytes);
      }
      if (final) break;
    }
  } finally {
    await reader.close();
  }
  return { sha256: `0x${bytesToHex(hash.digest())}`, plaintextBytes: plaintextDone, ciphertextBytes, chunkBytes };
}

async function seal(
  subtle: SubtleCrypto,
  key: CryptoKey,
  header: StreamHeader,
  counter: number,
  final: boolean,
  plain: Uint8Array,
): Promise<{ sealed: Uint8Array; plainBytes: number }> {
  const params: AesGcmParams = { name: "AES-GCM", iv: buffer(nonceOf(header, counter, final)), additionalData: buffer(header.bytes) };
  // WebCrypto copies `plain` before returning, so the reader may reuse the source's buffer afterwards.
  const sealed = new Uint8Array(await subtle.encrypt(params, key, buffer(plain)));
  return { sealed, plainBytes: plain.length };
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
