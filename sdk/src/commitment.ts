import { createSHA256 } from "hash-wasm";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, concatBytes, hexToBytes, randomBytes } from "@noble/hashes/utils.js";
import { toBytes32, type Hex } from "./hex.js";

/** Bytes of a document, whole or as a stream of chunks (a file read in pieces). */
export type DocumentBytes = Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/**
 * SHA-256 of a document, hashed incrementally so large files are never held whole. WebAssembly
 * SHA-256 (hash-wasm) runs about twice as fast as pure JS (100 MB in about half a second here) and
 * works in browsers as in Node.
 */
export async function documentSha256(document: DocumentBytes): Promise<Hex> {
  const hash = await createSHA256();
  hash.init();
  if (document instanceof Uint8Array) hash.update(document);
  else for await (const chunk of document) hash.update(chunk);
  return `0x${hash.digest("hex")}`;
}

/** A fresh 256-bit salt: without it a commitment to a well-known document could be guessed. */
export function newSalt(): Hex {
  return `0x${bytesToHex(randomBytes(32))}`;
}

/** The on-chain commitment to a document: `keccak256(sha256(document) || salt)`. */
export function commitmentOf(documentSha256Hex: Hex, salt: Hex): Hex {
  const digest = hexToBytes(toBytes32(documentSha256Hex, "documentSha256").slice(2));
  const saltBytes = hexToBytes(toBytes32(salt, "salt").slice(2));
  return `0x${bytesToHex(keccak_256(concatBytes(digest, saltBytes)))}`;
}
