// A record's content step on its own: encrypt, hash and store the bytes, nothing else. It needs no
// Ceramic, no DID and no key but the content key, so the web app runs it in a Web Worker (through the
// `@openchart/sdk/upload` subpath) and the vault runs the same code in place when no worker is given.
import { encryptStream, encryptedSize } from "../crypto/index.js";
import type { ByteSource } from "../crypto/index.js";
import type { Hex } from "../hex.js";
import type { BlobStore } from "../ipfs.js";
import type { ProgressFn } from "../progress.js";

/** The encrypted content, stored: what the record's sealed header needs about it. */
export interface StoredContent {
  /** CID of the ciphertext. */
  cid: string;
  /** SHA-256 of the plaintext, 0x-hex. */
  sha256: Hex;
  plaintextBytes: number;
}

export interface StoreContentOptions {
  /** The content's size, when known (`File.size`): the stream is then encrypted as it is read. */
  size?: number;
  /** Plaintext bytes encrypted so far. */
  onProgress?: ProgressFn;
  /** Ciphertext bytes sent to IPFS so far, of the ciphertext's size when `size` is given. In a browser a file
   * over 64 MiB is sent 1 MiB block by block as it is encrypted (this runs just behind `onProgress`), a smaller
   * one in one request once it is encrypted (see connectIpfs). */
  onUploadProgress?: ProgressFn;
}

/** Encrypts `content` under `contentKey` (hashing the plaintext in the same pass) and adds the ciphertext to IPFS
 * while it is encrypted. Only ciphertext reaches the store; a failure rejects before anything is pinned. */
export async function encryptAndStore(blobs: BlobStore, content: ByteSource, contentKey: Uint8Array, options: StoreContentOptions = {}): Promise<StoredContent> {
  const encrypted = encryptStream(content, contentKey, {
    ...(options.size !== undefined ? { totalBytes: options.size } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const stored = await blobs.add(encrypted, {
    ...(options.onUploadProgress ? { onUploadProgress: options.onUploadProgress } : {}),
    ...(options.size !== undefined ? { uploadTotalBytes: encryptedSize(options.size) } : {}),
  });
  const { sha256, plaintextBytes } = await encrypted.result;
  return { cid: stored.cid, sha256, plaintextBytes };
}
