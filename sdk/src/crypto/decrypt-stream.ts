import { bytesToHex } from "@noble/hashes/utils.js";
import { OpenChartError, invalidInput } from "../errors.js";
import { isBytes32, type Hex } from "../hex.js";
import { ByteReader, collectBytes, type ByteSource } from "./byte-reader.js";
import { Unpadder } from "./padded-frame.js";
import { createSha256 } from "./sha256.js";
import {
  HEADER_BYTES,
  TAG_BYTES,
  assertKeyMatches,
  checkContentKey,
  framedSize,
  nonceOf,
  parseHeader,
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

export interface DecryptOptions {
  /** The plaintext's SHA-256 (0x-hex) from the record: a mismatch fails the stream with HASH_MISMATCH. */
  expectedSha256?: Hex;
  /** The plaintext size when known: passed to `onProgress`, and tells a cut-short stream from a modified one. */
  totalBytes?: number;
  /** Called after each chunk is emitted, with plaintext bytes done. */
  onProgress?: ProgressCallback;
  /** Chunks decrypted at once (default {@link DEFAULT_PARALLELISM}). */
  parallelism?: number;
  /** Hash with the portable implementation even in Node (what browsers run; for benchmarks and tests). */
  portableHash?: boolean;
}

export interface DecryptResult {
  /** SHA-256 of the decrypted plaintext, 0x-hex. */
  sha256: Hex;
  plaintextBytes: number;
  ciphertextBytes: number;
}

/** How far around a failed chunk's position to look for the chunk it really is (to report reordering). */
const REORDER_WINDOW = 16;

/**
 * Decrypts a stream made by `encryptStream`, chunk by chunk. Every chunk is authenticated before it is
 * emitted, but only the end of the stream proves nothing was cut off: treat the output as provisional until
 * the iteration finishes without throwing (or `result` resolves). Errors are `OpenChartError`s coded
 * WRONG_KEY, TAMPERED, REORDERED, TRUNCATED, UNSUPPORTED_FORMAT or HASH_MISMATCH.
 */
export function decryptStream(source: ByteSource, contentKey: Uint8Array, options: DecryptOptions = {}): ResultStream<DecryptResult> {
  checkContentKey(contentKey);
  const parallelism = options.parallelism ?? DEFAULT_PARALLELISM;
  checkParallelism(parallelism);
  if (options.expectedSha256 !== undefined && !isBytes32(options.expectedSha256)) {
    throw invalidInput(`expectedSha256 must be 32-byte hex (0x + 64 hex digits), got ${String(options.expectedSha256)}`);
  }
  if (options.totalBytes !== undefined && !(Number.isSafeInteger(options.totalBytes) && options.totalBytes >= 0)) {
    throw invalidInput(`totalBytes must be a byte count, got ${options.totalBytes}`);
  }
  const key = contentKey.slice();
  return resultStream("decrypted stream", () => decryptChunks(new ByteReader(source), key, parallelism, options));
}

async function* decryptChunks(
  reader: ByteReader,
  rawKey: Uint8Array,
  parallelism: number,
  options: DecryptOptions,
): AsyncGenerator<Uint8Array, DecryptResult> {
  try {
    const header = parseHeader(await reader.read(HEADER_BYTES));
    assertKeyMatches(header, rawKey);
    const subtle = subtleCrypto();
    const key = await subtle.importKey("raw", buffer(rawKey), "AES-GCM", false, ["decrypt"]);
    // Version 2 seals a frame (length, data, padding) rather than the bare data; see padded-frame.ts.
    const unpadder = header.version === 2 ? new Unpadder() : undefined;
    const sealedTotal = options.totalBytes === undefined || unpadder === undefined ? options.totalBytes : framedSize(options.totalBytes);
    const opener = new ChunkOpener(subtle, key, header, sealedTotal);
    const hash = await createSha256({ portable: options.portableHash === true });
    const queue = new InOrderQueue<Uint8Array>();
    const wireChunk = header.chunkBytes + TAG_BYTES;
    let plaintextBytes = 0;
    for (let counter = 0; ; counter++) {
      const piece = await reader.read(wireChunk);
      // Only the last chunk is shorter than a full one; a stream that ends after a full chunk lost its last.
      const final = piece.length < wireChunk;
      if (final && piece.length < TAG_BYTES) {
        queue.push(Promise.reject(truncatedAfter(counter, piece.length)));
      } else {
        queue.push(opener.open(piece, counter, final));
      }
      while (queue.size >= parallelism || (final && queue.size > 0)) {
        const opened = await queue.shift();
        const plain = unpadder === undefined ? opened : unpadder.take(opened);
        if (plain.length === 0 && unpadder !== undefined) continue; // only length field or padding
        hash.update(plain);
        plaintextBytes += plain.length;
        yield plain;
        options.onProgress?.(plaintextBytes, options.totalBytes);
      }
      if (final) break;
    }
    unpadder?.finish();
    const sha256: Hex = `0x${bytesToHex(hash.digest())}`;
    if (options.expectedSha256 !== undefined && options.expectedSha256.toLowerCase() !== sha256) {
      throw new OpenChartError("HASH_MISMATCH", `decrypted plaintext has SHA-256 ${sha256}, expected ${options.expectedSha256}`);
    }
    return { sha256, plaintextBytes, ciphertextBytes: reader.bytesRead };
  } finally {
    await reader.close();
  }
}

function truncatedAfter(counter: number, strayBytes: number): OpenChartError {
  const where = counter === 0 ? "before its first chunk" : `after chunk ${counter - 1}`;
  const stray = strayBytes > 0 ? ` (${strayBytes} stray bytes, less than a chunk's tag)` : "";
  return new OpenChartError("TRUNCATED", `ciphertext ended ${where} without its final chunk${stray}`);
}

/** Opens chunks and, when one fails, works out the clearest reason it could. */
class ChunkOpener {
  constructor(
    private readonly subtle: SubtleCrypto,
    private readonly key: CryptoKey,
    private readonly header: StreamHeader,
    /** The bytes the stream should seal in all (plaintext, or its frame in version 2), when known. */
    private readonly sealedTotal: number | undefined,
  ) {}

  async open(piece: Uint8Array, counter: number, final: boolean): Promise<Uint8Array> {
    // WebCrypto copies `piece` before its first await, so a source may reuse its buffers; only the
    // diagnosis of a failed chunk reads `piece` again (a reused buffer could blur that message, not the verdict).
    const plain = await this.tryOpen(piece, counter, final);
    if (plain !== undefined) return plain;
    throw await this.diagnose(piece, counter, final);
  }

  private async tryOpen(piece: Uint8Array, counter: number, final: boolean): Promise<Uint8Array | undefined> {
    const params: AesGcmParams = {
      name: "AES-GCM",
      iv: buffer(nonceOf(this.header, counter, final)),
      additionalData: buffer(this.header.bytes),
    };
    try {
      return new Uint8Array(await this.subtle.decrypt(params, this.key, buffer(piece)));
    } catch {
      return undefined; // OperationError: the tag did not verify
    }
  }

  private async diagnose(piece: Uint8Array, counter: number, final: boolean): Promise<OpenChartError> {
    for (let other = Math.max(0, counter - REORDER_WINDOW); other <= counter + REORDER_WINDOW; other++) {
      if (other === counter) continue;
      if ((await this.tryOpen(piece, other, final)) !== undefined) {
        const how = other < counter ? "repeated or moved later" : "moved earlier";
        return new OpenChartError("REORDERED", `chunk at position ${counter} is chunk ${other} of this file: chunks were ${how}`);
      }
    }
    if (final) {
      // Every chunk before this one was full, so an intact stream ending here would hold at most this many bytes.
      const mostIfIntact = counter * this.header.chunkBytes + piece.length - TAG_BYTES;
      if (this.sealedTotal !== undefined && mostIfIntact < this.sealedTotal) {
        return new OpenChartError("TRUNCATED", `ciphertext ended inside chunk ${counter}, short of the expected ${this.sealedTotal} sealed bytes`);
      }
      return new OpenChartError("TAMPERED", `last chunk (${counter}) failed authentication: the ciphertext was modified or cut short`);
    }
    return new OpenChartError("TAMPERED", `chunk ${counter} failed authentication: the ciphertext was modified`);
  }
}

/** Decrypts into memory (small records, tests); verifies `expectedSha256` when given. */
export async function decryptToBytes(ciphertext: ByteSource, contentKey: Uint8Array, options: DecryptOptions = {}): Promise<Uint8Array> {
  return collectBytes(decryptStream(ciphertext, contentKey, options));
}
