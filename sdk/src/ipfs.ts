import { create as createKuboClient, type KuboRPCClient } from "kubo-rpc-client";
import { withoutTrailingSlash } from "./api/url.js";
import { OpenChartError, invalidInput, requestFailure } from "./errors.js";
import { IMPORT_SETTINGS, addAsBlocks, putBlockOverHttp } from "./ipfs-blocks.js";
import { addInOneRequest } from "./ipfs-one-request.js";
import { toBytesSource, type ByteSource, type ProgressFn } from "./progress.js";

export { IMPORT_SETTINGS } from "./ipfs-blocks.js";

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
  /** add only: bytes sent to the node so far (as blocks: stored, 1 MiB at a time), of `uploadTotalBytes` when given. */
  onUploadProgress?: ProgressFn;
  /** add only: the bytes to expect in all, when the caller knows (for `onUploadProgress`, and what a browser's add
   * chooses its transport by, see IpfsOptions). */
  uploadTotalBytes?: number;
  signal?: AbortSignal;
}

/** Content-addressed blob storage: the one thing the sdk needs from IPFS. */
export interface BlobStore {
  readonly url: string;
  /** Stores and pins the bytes, sent as they are read; resolves once all are stored. */
  add(content: ByteSource, options?: TransferOptions): Promise<AddResult>;
  /** Streams the bytes of a CID. */
  cat(cid: string, options?: TransferOptions): AsyncIterable<Uint8Array>;
  /** Fails with a clear error naming the endpoint when the node does not answer. */
  ensureReachable(signal?: AbortSignal): Promise<void>;
}

/**
 * How `add` sends the bytes. "stream": one `add` request whose body streams while the bytes are made (Node; the
 * node then cuts the blocks). A browser sends a request body only once it is whole (it streams request bodies
 * over HTTP/2 only), so it has two ways: "request", one `add` request gathered while the bytes are made and sent
 * once they are all there (ipfs-one-request.ts: least CPU, memory for the whole ciphertext), and "blocks", the
 * client cuts the UnixFS blocks and sends each in its own request as soon as it is cut (ipfs-blocks.ts: memory
 * for a few blocks, the sending overlaps the making). All three give the same CID.
 */
export type AddTransport = "stream" | "blocks" | "request";

/**
 * Largest upload a browser sends as one request (its ciphertext is held in memory meanwhile): 64 MiB, the bound
 * under which the web app reads a file whole too. Larger or unknown sizes go as blocks.
 */
export const ONE_REQUEST_MAX_BYTES = 64 * 1024 * 1024;

export interface IpfsOptions {
  /**
   * Default: "stream" in Node, "by-size" elsewhere: "request" for an add whose `uploadTotalBytes` is known and
   * at most `oneRequestMaxBytes`, else "blocks" (BENCHMARKS.md, web portal).
   */
  addAs?: AddTransport | "by-size";
  /** Default ONE_REQUEST_MAX_BYTES. */
  oneRequestMaxBytes?: number;
}

const runsInNode = typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === "string";

class KuboBlobStore implements BlobStore {
  private readonly client: KuboRPCClient;

  constructor(
    readonly url: string,
    private readonly addAs: AddTransport | "by-size",
    private readonly oneRequestMaxBytes: number,
  ) {
    this.client = createKuboClient({ url });
  }

  private fail(error: unknown, what: string): never {
    throw requestFailure("IPFS", this.url, `${what}: ${error instanceof Error ? error.message : String(error)}`, error);
  }

  async ensureReachable(signal?: AbortSignal): Promise<void> {
    try {
      await this.client.version({ signal });
    } catch (error) {
      this.fail(error, "version");
    }
  }

  async add(content: ByteSource, options: TransferOptions = {}): Promise<AddResult> {
    const { onProgress, totalBytes, signal, onUploadProgress, uploadTotalBytes } = options;
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
    const reportUpload = onUploadProgress ? (sent: number) => onUploadProgress(sent, uploadTotalBytes ?? counted) : undefined;
    try {
      const bySize = uploadTotalBytes !== undefined && uploadTotalBytes <= this.oneRequestMaxBytes ? "request" : "blocks";
      const transport = this.addAs === "by-size" ? bySize : this.addAs;
      if (transport === "request") {
        const cid = await addInOneRequest(this.url, counting(), { ...(signal ? { signal } : {}), ...(reportUpload ? { onSent: reportUpload } : {}) });
        return { cid, size: counted };
      }
      if (transport === "blocks") {
        const cid = await addAsBlocks(this.client, putBlockOverHttp(this.url), counting(), { ...(signal ? { signal } : {}), ...(reportUpload ? { onStored: reportUpload } : {}) });
        return { cid: cid.toString(), size: counted };
      }
      // kubo-rpc-client reports the request's upload through `progress`.
      const result = await this.client.add(counting(), { ...IMPORT_SETTINGS, signal, ...(reportUpload ? { progress: reportUpload } : {}) });
      return { cid: result.cid.toV1().toString(), size: counted };
    } catch (error) {
      // The source's own failure (a file that changed size, a wrong key) is not the node's.
      if (error instanceof OpenChartError) throw error;
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
export function connectIpfs(url: string, options: IpfsOptions = {}): BlobStore {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidInput(`IPFS URL is not a URL: "${url}"`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw invalidInput(`IPFS URL must be http(s), got "${url}"`);
  }
  return new KuboBlobStore(withoutTrailingSlash(url), options.addAs ?? (runsInNode ? "stream" : "by-size"), options.oneRequestMaxBytes ?? ONE_REQUEST_MAX_BYTES);
}
