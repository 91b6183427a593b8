import { create as createKuboClient, type KuboRPCClient } from "kubo-rpc-client";
import { withoutTrailingSlash } from "./api/url.js";
import { invalidInput, isConnectionFailure, remoteError, unreachable } from "./errors.js";
import { toBytesSource, type ByteSource, type ProgressFn } from "./progress.js";

/**
 * UnixFS import settings, pinned: Kubo and js-ipfs defaults differ (256 KiB vs 1 MiB chunks, v0 vs
 * v1 CIDs), and the same bytes must give the same CID on every node.
 */
export const IMPORT_SETTINGS = {
  cidVersion: 1,
  rawLeaves: true,
  chunker: "size-1048576",
  hashAlg: "sha2-256",
  pin: true,
} as const;

export interface AddResult {
  /** CIDv1 (base32) of the stored bytes. */
  cid: string;
  /** Number of bytes stored. */
  size: number;
}

export interface TransferOptions {
  /** Called with (bytes done, total bytes) as data moves; total is `undefined` when unknown. */
  onProgress?: ProgressFn;
  /** Total size, when the caller knows it (for progress). */
  totalBytes?: number;
  /** add only: bytes sent over the wire so far, of the whole request (a browser sends the body once it is whole). */
  onUploadProgress?: ProgressFn;
  signal?: AbortSignal;
}

/** Content-addressed blob storage: the one thing the sdk needs from IPFS. */
export interface BlobStore {
  readonly url: string;
  /** Stores and pins the bytes; resolves once they are stored. */
  add(content: ByteSource, options?: TransferOptions): Promise<AddResult>;
  /** Streams the bytes of a CID. */
  cat(cid: string, options?: TransferOptions): AsyncIterable<Uint8Array>;
  /** Fails with a clear error naming the endpoint when the node does not answer. */
  ensureReachable(signal?: AbortSignal): Promise<void>;
}

class KuboBlobStore implements BlobStore {
  private readonly client: KuboRPCClient;

  constructor(readonly url: string) {
    this.client = createKuboClient({ url });
  }

  private fail(error: unknown, what: string): never {
    if (isConnectionFailure(error)) throw unreachable("IPFS", this.url, error);
    throw remoteError("IPFS", this.url, `${what}: ${error instanceof Error ? error.message : String(error)}`, error);
  }

  async ensureReachable(signal?: AbortSignal): Promise<void> {
    try {
      await this.client.version({ signal });
    } catch (error) {
      this.fail(error, "version");
    }
  }

  async add(content: ByteSource, options: TransferOptions = {}): Promise<AddResult> {
    const { onProgress, totalBytes, signal, onUploadProgress } = options;
    let counted = 0;
    // Count the bytes as the client reads them: kubo's own progress events report per-chunk totals
    // that js-ipfs and Kubo round differently.
    async function* counting(): AsyncGenerator<Uint8Array> {
      for await (const chunk of toBytesSource(content)) {
        counted += chunk.byteLength;
        onProgress?.(counted, totalBytes);
        yield chunk;
      }
    }
    try {
      // kubo-rpc-client reports the request's upload (XMLHttpRequest progress in browsers) through `progress`.
      const progress = onUploadProgress ? (sent: number) => onUploadProgress(sent, counted) : undefined;
      const result = await this.client.add(counting(), { ...IMPORT_SETTINGS, signal, ...(progress ? { progress } : {}) });
      return { cid: result.cid.toV1().toString(), size: counted };
    } catch (error) {
      this.fail(error, "add");
    }
  }

  async *cat(cid: string, options: TransferOptions = {}): AsyncGenerator<Uint8Array> {
    if (!/^b[a-z2-7]{20,}$/.test(cid) && !/^Qm[1-9A-HJ-NP-Za-km-z]{44}$/.test(cid)) {
      throw invalidInput(`not a CID: "${cid}"`);
    }
    let done = 0;
    try {
      for await (const chunk of this.client.cat(cid, { signal: options.signal })) {
        done += chunk.byteLength;
        options.onProgress?.(done, options.totalBytes);
        yield chunk;
      }
    } catch (error) {
      this.fail(error, `cat ${cid}`);
    }
  }
}

/** A BlobStore on a Kubo RPC API (Kubo, or the local node's js-ipfs), e.g. `http://127.0.0.1:5001`. */
export function connectIpfs(url: string): BlobStore {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidInput(`IPFS URL is not a URL: "${url}"`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw invalidInput(`IPFS URL must be http(s), got "${url}"`);
  }
  return new KuboBlobStore(withoutTrailingSlash(url));
}
