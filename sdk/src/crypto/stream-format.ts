// The wire format of an encrypted record: the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015)
// over AES-256-GCM, as Tink and age use it.
//
//   header (32 bytes)  "OCE" | version (0x01 or 0x02) | chunk size (u32 BE) | nonce prefix (7 random bytes) | 0x00
//                      | key check (16 bytes)
//   chunk i            AES-256-GCM(key, nonce_i, plaintext_i, aad = header) = ciphertext_i || tag_i (16 bytes)
//   nonce_i            nonce prefix (7) | i (u32 BE) | 0x01 on the final chunk, else 0x00
//
// Every chunk but the last holds exactly `chunk size` plaintext bytes; the last holds fewer (possibly none),
// so a reader knows a chunk is the last from its length alone and needs no look-ahead.
// Nonces never repeat under a key: each file draws a fresh random key, the counter differs per chunk, and the
// random prefix still separates two files should a caller ever reuse a key. The final flag in the nonce makes
// a stream cut at a chunk boundary fail (its last chunk was sealed as "not final"), the counter makes moved or
// repeated chunks fail, and the header as additional data makes a changed header fail.
// The key check (HMAC-SHA-256 of a fixed label under the key) tells a wrong key apart from tampered bytes and
// commits the ciphertext to one key (GCM alone does not).
//
// Version 2 (what every writer makes) pads: the STREAM's plaintext is
//   length of the data (u64 BE, 8 bytes) | data | zero bytes up to paddedSize(length) (Padmé, see padding.ts)
// so the public ciphertext size depends only on the data's size class, while the exact length sits inside the
// authenticated encryption: padding can be neither stripped, extended nor altered without the key (see
// padded-frame.ts). The version byte is part of the header, hence of every chunk's additional data, so a
// version-2 stream cannot be passed off as version 1. Version 1 (unpadded) still decrypts.
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { OpenChartError, invalidInput } from "../errors.js";
import { paddedSize } from "./padding.js";

/** The version writers produce; readers also accept version 1. */
export const STREAM_FORMAT_VERSION = 2;
/** The length field at the start of a version-2 stream's plaintext. */
export const LENGTH_FIELD_BYTES = 8;
export const HEADER_BYTES = 32;
export const TAG_BYTES = 16;
export const CONTENT_KEY_BYTES = 32;
/**
 * Plaintext bytes per chunk. WebCrypto costs about the same per call whatever the size, so small chunks are
 * slow (measured in Node 20, AES-GCM alone: 64 KiB about 0.6 GB/s, 256 KiB about 1 GB/s, 1 MiB about 1.9 GB/s
 * one call at a time); 1 MiB keeps that cost negligible while a few chunks in flight stay a few MiB of memory.
 */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
/** Bounds what a header may ask a reader to buffer. */
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
/** The counter is 32 bits wide. */
export const MAX_CHUNKS = 2 ** 32;

const MAGIC = [0x4f, 0x43, 0x45]; // "OCE": OpenChart Encrypted
const KEY_CHECK_LABEL = utf8ToBytes("OpenChart stream key check v1");
const PREFIX_BYTES = 7;
const KEY_CHECK_BYTES = 16;

export interface StreamHeader {
  bytes: Uint8Array;
  /** 1: plaintext as is; 2: length-prefixed and padded. */
  version: 1 | 2;
  chunkBytes: number;
  noncePrefix: Uint8Array;
  keyCheck: Uint8Array;
}

export function checkContentKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== CONTENT_KEY_BYTES) {
    throw invalidInput(`content key must be ${CONTENT_KEY_BYTES} bytes, got ${key instanceof Uint8Array ? key.length : typeof key}`);
  }
}

export function checkChunkBytes(chunkBytes: number): void {
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) {
    throw invalidInput(`chunk size must be an integer from 1 to ${MAX_CHUNK_BYTES} bytes, got ${chunkBytes}`);
  }
}

function keyCheckOf(key: Uint8Array): Uint8Array {
  return hmac(sha256, key, KEY_CHECK_LABEL).subarray(0, KEY_CHECK_BYTES);
}

/** A fresh header; `version` 1 only for tests that need an old-format ciphertext. */
export function newHeader(key: Uint8Array, chunkBytes: number, version: 1 | 2 = STREAM_FORMAT_VERSION): StreamHeader {
  const bytes = new Uint8Array(HEADER_BYTES);
  bytes.set(MAGIC, 0);
  bytes[3] = version;
  new DataView(bytes.buffer).setUint32(4, chunkBytes);
  bytes.set(randomBytes(PREFIX_BYTES), 8);
  bytes.set(keyCheckOf(key), 16);
  return parseHeader(bytes);
}

/** Reads a header's fields; rejects what is not a version-1 or version-2 OpenChart ciphertext. */
export function parseHeader(bytes: Uint8Array): StreamHeader {
  if (bytes.length < HEADER_BYTES) {
    throw new OpenChartError("TRUNCATED", `ciphertext ended inside its ${HEADER_BYTES}-byte header (${bytes.length} bytes)`);
  }
  if (MAGIC.some((byte, i) => bytes[i] !== byte)) {
    throw new OpenChartError("UNSUPPORTED_FORMAT", "not an OpenChart ciphertext (no OCE header)");
  }
  const version = bytes[3];
  if ((version !== 1 && version !== 2) || bytes[15] !== 0) {
    throw new OpenChartError("UNSUPPORTED_FORMAT", `unsupported OpenChart ciphertext version ${bytes[3]}.${bytes[15]}`);
  }
  const chunkBytes = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES).getUint32(4);
  if (chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) {
    throw new OpenChartError("TAMPERED", `ciphertext header names an impossible chunk size (${chunkBytes} bytes)`);
  }
  return {
    bytes: bytes.slice(0, HEADER_BYTES),
    version,
    chunkBytes,
    noncePrefix: bytes.slice(8, 8 + PREFIX_BYTES),
    keyCheck: bytes.slice(16, HEADER_BYTES),
  };
}

export function assertKeyMatches(header: StreamHeader, key: Uint8Array): void {
  const expected = keyCheckOf(key);
  let diff = 0;
  for (let i = 0; i < KEY_CHECK_BYTES; i++) diff |= expected[i]! ^ header.keyCheck[i]!;
  if (diff !== 0) throw new OpenChartError("WRONG_KEY", "this content key does not open the ciphertext (key check mismatch: a wrong key, or an altered header)");
}

export function nonceOf(header: StreamHeader, counter: number, final: boolean): Uint8Array {
  const nonce = new Uint8Array(12);
  nonce.set(header.noncePrefix, 0);
  new DataView(nonce.buffer).setUint32(PREFIX_BYTES, counter);
  nonce[11] = final ? 1 : 0;
  return nonce;
}

/** The bytes a version-2 STREAM seals for data of `plaintextBytes`: length field, data, padding. */
export function framedSize(plaintextBytes: number): number {
  return LENGTH_FIELD_BYTES + paddedSize(plaintextBytes);
}

/**
 * The (version-2, padded) ciphertext size of a plaintext of `plaintextBytes`, for progress bars and size
 * checks. It depends on `paddedSize(plaintextBytes)` only: that is all a stranger learns of the size.
 */
export function encryptedSize(plaintextBytes: number, chunkBytes: number = DEFAULT_CHUNK_BYTES): number {
  checkChunkBytes(chunkBytes);
  if (!Number.isSafeInteger(plaintextBytes) || plaintextBytes < 0) throw invalidInput(`plaintext size must be a byte count, got ${plaintextBytes}`);
  const sealed = framedSize(plaintextBytes);
  return HEADER_BYTES + sealed + TAG_BYTES * (Math.floor(sealed / chunkBytes) + 1);
}
