// Adds bytes to IPFS as the UnixFS blocks they make, each block sent as soon as it is cut: the import
// overlaps whatever produces the bytes (the record's encryption) and holds only a few blocks in memory, how a
// browser sends a file over 64 MiB (smaller ones go in one request, ipfs-one-request.ts): a browser sends a
// request body over HTTP/1.1 only once it is whole. The blocks and the root are those `add` makes with
// IMPORT_SETTINGS (same chunker, raw leaves, CID version and balanced layout), so the CID is the same and
// opens with `cat` as before; the root is sent last, once every other block is stored, and pinned recursively
// in the same request (`pin=true`, as Kubo's `block put --pin` does).
import { importer, type BufferImporterResult, type ImportResult } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import type { KuboRPCClient } from "kubo-rpc-client";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { sha256 } from "multiformats/hashes/sha2";
import { MULTIPART_CONTENT_TYPE, multipartBody, nodeError, rpcBase } from "./ipfs-http.js";

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

/** Stores one block on the node (and pins the DAG under it recursively when `pin`) and answers the CID the node gives it. */
export type PutBlock = (bytes: Uint8Array, format: "raw" | "dag-pb", signal: AbortSignal, pin?: boolean) => Promise<string>;

/**
 * `block/put` on the Kubo RPC API at `apiUrl` with one `fetch` whose body is a single Blob (multipartBody).
 * kubo-rpc-client's `block.put` sends the same request through a FormData body plus its option merging and
 * signal wrapping: sending 20 MiB from a worker that way took 25 to 70 ms more Chromium CPU and 8 to 40 % more
 * time (BENCHMARKS.md, web portal).
 */
export function putBlockOverHttp(apiUrl: string): PutBlock {
  const base = `${rpcBase(apiUrl)}/block/put?mhtype=${IMPORT_SETTINGS.hashAlg}&version=${IMPORT_SETTINGS.cidVersion}&format=`;
  return async (bytes, format, signal, pin = false) => {
    const response = await fetch(base + format + (pin ? "&pin=true" : ""), {
      method: "POST",
      headers: { "content-type": MULTIPART_CONTENT_TYPE },
      body: multipartBody([bytes as Uint8Array<ArrayBuffer>]),
      signal,
    });
    const text = await response.text();
    if (!response.ok) throw nodeError(text, response.status);
    const key = (JSON.parse(text) as { Key?: unknown }).Key;
    if (typeof key !== "string") throw new Error(`block/put answered no CID: ${text.slice(0, 200)}`);
    return key;
  };
}

/**
 * Sends the blocks, at most BLOCKS_IN_FLIGHT at once. Leaves (raw, 1 MiB each) go through `leaves`, the
 * importer's buffer importer: each is sent as soon as it is cut and its CID is the one the node answers, after
 * checking it is a CIDv1 of a raw block under SHA-256. The node hashes every block it stores anyway; hashing
 * each leaf here first cost the browser's upload worker 1.5 to 2.5 ms per MiB on the path every byte waits on.
 * An honest node cannot answer another CID for those bytes, and a dishonest one could serve other bytes under
 * any CID: the stream's AES-GCM tags and the plaintext's SHA-256 in the sealed header catch both on reading.
 * The few interior nodes go through `put`, the importer's blockstore, hashed here and checked against the
 * node's answer. The first failure aborts the other requests and is thrown from the next send or `flush`.
 */
class BlockSender {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  private stored = 0;
  /** The newest interior node, held back: it may be the root (see storeRoot). */
  private heldNode: { cid: CID; bytes: Uint8Array } | undefined;

  constructor(
    private readonly putBlock: PutBlock,
    private readonly controller: AbortController,
    private readonly options: BlockImportOptions,
  ) {}

  /**
   * The importer's blockstore, for the DAG's interior (dag-pb) nodes. The importer writes a file's root last,
   * so the newest node is held back until the next one comes or the import ends (storeRoot).
   */
  async put(cid: CID, bytes: Uint8Array): Promise<CID> {
    const previous = this.heldNode;
    this.heldNode = { cid, bytes };
    if (previous !== undefined) await this.sendNode(previous, false);
    return cid;
  }

  /**
   * Once the import has ended: stores the held node, when it is `root`, after every other block is stored and
   * with `pin=true`, so the node pins the whole DAG in that request. False when the root was not held here (a
   * file of one leaf is its own root): the caller pins it.
   */
  async storeRoot(root: CID): Promise<boolean> {
    const held = this.heldNode;
    this.heldNode = undefined;
    const rootNode = held?.cid.equals(root) === true ? held : undefined;
    if (held !== undefined && rootNode === undefined) await this.sendNode(held, false);
    await this.flush();
    if (rootNode === undefined) return false;
    await (await this.sendNode(rootNode, true)).result;
    return true;
  }

  private sendNode(node: { cid: CID; bytes: Uint8Array }, pin: boolean): Promise<{ result: Promise<void> }> {
    return this.send(
      node.bytes,
      node.cid.code === raw.code ? "raw" : "dag-pb",
      (stored) => {
        // A node that hashed or encoded differently would pin a DAG no one can find under this CID.
        if (stored !== node.cid.toString()) throw new Error(`the node stored block ${node.cid} as ${stored}`);
      },
      pin,
    );
  }

  /**
   * The importer's `bufferImporter`: leaves in order, each a function the importer awaits for its CID. The
   * importer awaits its buffer importer in batches (it-parallel-batch), so a pump of our own cuts and sends
   * leaves while earlier ones are still on their way; it runs at most a few leaves ahead of the importer.
   */
  leaves(content: AsyncIterable<Uint8Array>): AsyncGenerator<() => Promise<BufferImporterResult>> {
    const ready: Promise<BufferImporterResult>[] = [];
    let wake: (() => void) | undefined;
    const signal = () => {
      wake?.();
      wake = undefined;
    };
    const changed = () => new Promise<void>((resolve) => (wake = resolve));
    // A failed or cancelled import stops taking leaves: the pump must not wait for it forever.
    this.controller.signal.addEventListener("abort", signal, { once: true });
    let ended = false;
    const pumping = (async () => {
      try {
        for await (const block of content) {
          while (ready.length >= BLOCKS_IN_FLIGHT) {
            this.controller.signal.throwIfAborted();
            await changed();
          }
          const leaf = await this.send(block, "raw", (stored) => ({ cid: this.leafCid(stored, block), size: BigInt(block.length), block }));
          ready.push(leaf.result);
          signal();
        }
      } finally {
        ended = true;
        signal();
      }
    })();
    // Its failure reaches the importer below; if the import already stopped, nobody else waits for it.
    pumping.catch(() => undefined);
    return (async function* () {
      for (;;) {
        const next = ready.shift();
        if (next !== undefined) {
          signal();
          yield () => next;
        } else if (ended) {
          await pumping;
          return;
        } else await changed();
      }
    })();
  }

  /** Resolves once every block is stored; throws the first failure. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.race(this.inFlight);
    this.check();
  }

  private check(): void {
    if (this.failure) throw this.failure.error;
  }

  private leafCid(stored: string, block: Uint8Array): CID {
    const cid = CID.parse(stored);
    if (cid.version !== 1 || cid.code !== raw.code || cid.multihash.code !== sha256.code || cid.multihash.size !== 32) {
      throw new Error(`the node stored a raw block as ${stored}, not a CIDv1 of its SHA-256`);
    }
    this.stored += block.byteLength;
    this.options.onStored?.(this.stored);
    return cid;
  }

  /**
   * Waits for a free slot, then starts the block's request; `answer` turns the node's CID into the result
   * (throwing fails the import). Wrapped in an object: the caller waits for the slot, not for the answer.
   */
  private async send<T>(bytes: Uint8Array, format: "raw" | "dag-pb", answer: (stored: string) => T, pin = false): Promise<{ result: Promise<T> }> {
    this.check();
    while (this.inFlight.size >= BLOCKS_IN_FLIGHT) {
      await Promise.race(this.inFlight);
      this.check();
    }
    const result = this.putBlock(bytes, format, this.controller.signal, pin).then(answer);
    const settled: Promise<void> = result.then(
      () => void this.inFlight.delete(settled),
      (error: unknown) => {
        this.inFlight.delete(settled);
        this.failure ??= { error };
        this.controller.abort(error);
      },
    );
    this.inFlight.add(settled);
    // The failure is thrown from the next send or from flush; a leaf's also from the importer.
    result.catch(() => undefined);
    return { result };
  }
}

/** Imports `content` block by block with `putBlock`, pins the root (in its own request, or through `client` for a file of one leaf) and returns its CID. */
export async function addAsBlocks(
  client: Pick<KuboRPCClient, "pin">,
  putBlock: PutBlock,
  content: AsyncIterable<Uint8Array>,
  options: BlockImportOptions = {},
): Promise<CID> {
  const controller = new AbortController();
  const abort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) abort();
  options.signal?.addEventListener("abort", abort, { once: true });
  const blocks = new BlockSender(putBlock, controller, options);
  try {
    let root: ImportResult | undefined;
    const entries = importer([{ content }], blocks, {
      cidVersion: IMPORT_SETTINGS.cidVersion,
      rawLeaves: IMPORT_SETTINGS.rawLeaves,
      reduceSingleLeafToSelf: true,
      chunker: fixedSize({ chunkSize: LEAF_BYTES }),
      layout: balanced({ maxChildrenPerNode: MAX_CHILDREN_PER_NODE }),
      bufferImporter: (file) => blocks.leaves(file.content),
      // Leaves are sent by BlockSender's own pump, which also bounds the requests.
      blockWriteConcurrency: 1,
    });
    for await (const entry of entries) root = entry;
    if (root === undefined) throw new Error("the importer produced no root");
    // By its string: kubo-rpc-client may hold another copy of multiformats.
    if (!(await blocks.storeRoot(root.cid))) await client.pin.add(root.cid.toString(), { recursive: true, signal: controller.signal });
    return root.cid;
  } catch (error) {
    controller.abort(error);
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", abort);
  }
}
