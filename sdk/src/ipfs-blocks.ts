// Adds bytes to IPFS as the UnixFS blocks they make, each block sent as soon as it is cut: the import
// overlaps whatever produces the bytes (the record's encryption). One `add` request cannot do that in a
// browser: a browser sends a request body over HTTP/1.1 only once it is whole, so kubo-rpc-client builds
// the whole ciphertext into a Blob first. The blocks and the root are those `add` makes with
// IMPORT_SETTINGS (same chunker, raw leaves, CID version and balanced layout), so the CID is the same and
// opens with `cat` as before; the root is pinned recursively once every block is stored.
import { importer, type ImportResult } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import type { KuboRPCClient } from "kubo-rpc-client";
import type { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";

/** Bytes per UnixFS leaf: 1 MiB, Kubo's largest block, so 1 request per MiB. */
export const LEAF_BYTES = 1_048_576;

/**
 * UnixFS import settings, pinned: Kubo and js-ipfs defaults differ (256 KiB vs 1 MiB chunks, v0 vs
 * v1 CIDs), and the same bytes must give the same CID on every node.
 */
export const IMPORT_SETTINGS = {
  cidVersion: 1,
  rawLeaves: true,
  chunker: `size-${LEAF_BYTES}`,
  hashAlg: "sha2-256",
  pin: true,
} as const;

/** Links per interior node of the balanced layout: the value of Kubo and js-ipfs (`add` has no option for it). */
export const MAX_CHILDREN_PER_NODE = 174;

/**
 * Block requests in flight at once. Each holds a 1 MiB block: a few keep the connection busy while the
 * next blocks are encrypted, more only add memory (and browsers allow 6 connections per host).
 */
export const BLOCKS_IN_FLIGHT = 4;

export interface BlockImportOptions {
  signal?: AbortSignal;
  /** Called as the node confirms each leaf, with the bytes of content it holds so far. */
  onStored?: (bytes: number) => void;
}

type BlockPut = { block: Pick<KuboRPCClient["block"], "put"> };

/**
 * The importer's blockstore: `put` starts the block's request and returns at once while fewer than
 * `limit` are in flight, so the importer goes on cutting (and the source on encrypting) during the
 * requests. The first failure aborts the others and is thrown from the next `put` or from `flush`.
 */
class BlockSender {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  private stored = 0;

  constructor(
    private readonly client: BlockPut,
    private readonly controller: AbortController,
    private readonly options: BlockImportOptions,
  ) {}

  async put(cid: CID, bytes: Uint8Array): Promise<CID> {
    this.check();
    while (this.inFlight.size >= BLOCKS_IN_FLIGHT) {
      await Promise.race(this.inFlight);
      this.check();
    }
    const sending = this.send(cid, bytes).then(
      () => void this.inFlight.delete(sending),
      (error: unknown) => {
        this.inFlight.delete(sending);
        this.failure ??= { error };
        this.controller.abort(error);
      },
    );
    this.inFlight.add(sending);
    return cid;
  }

  /** Resolves once every block is stored; throws the first failure. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.race(this.inFlight);
    this.check();
  }

  private check(): void {
    if (this.failure) throw this.failure.error;
  }

  private async send(cid: CID, bytes: Uint8Array): Promise<void> {
    const leaf = cid.code === raw.code;
    const stored = await this.client.block.put(bytes, {
      format: leaf ? "raw" : "dag-pb",
      mhtype: IMPORT_SETTINGS.hashAlg,
      version: IMPORT_SETTINGS.cidVersion,
      signal: this.controller.signal,
    });
    // A node that hashed or encoded differently would pin a DAG no one can find under this CID.
    if (stored.toString() !== cid.toString()) throw new Error(`the node stored block ${cid} as ${stored}`);
    if (leaf) {
      this.stored += bytes.byteLength;
      this.options.onStored?.(this.stored);
    }
  }
}

/** Imports `content` block by block into the node behind `client`, pins the root, and returns its CID. */
export async function addAsBlocks(
  client: Pick<KuboRPCClient, "block" | "pin">,
  content: AsyncIterable<Uint8Array>,
  options: BlockImportOptions = {},
): Promise<CID> {
  const controller = new AbortController();
  const abort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) abort();
  options.signal?.addEventListener("abort", abort, { once: true });
  const blocks = new BlockSender(client, controller, options);
  try {
    let root: ImportResult | undefined;
    const entries = importer([{ content }], blocks, {
      cidVersion: IMPORT_SETTINGS.cidVersion,
      rawLeaves: IMPORT_SETTINGS.rawLeaves,
      reduceSingleLeafToSelf: true,
      chunker: fixedSize({ chunkSize: LEAF_BYTES }),
      layout: balanced({ maxChildrenPerNode: MAX_CHILDREN_PER_NODE }),
      // The importer hashes this many leaves at once; BlockSender bounds the requests.
      blockWriteConcurrency: BLOCKS_IN_FLIGHT,
    });
    for await (const entry of entries) root = entry;
    await blocks.flush();
    if (root === undefined) throw new Error("the importer produced no root");
    // By its string: kubo-rpc-client may hold another copy of multiformats.
    await client.pin.add(root.cid.toString(), { recursive: true, signal: controller.signal });
    return root.cid;
  } catch (error) {
    controller.abort(error);
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", abort);
  }
}
