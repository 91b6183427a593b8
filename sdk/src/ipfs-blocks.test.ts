import { randomBytes } from "node:crypto";
import { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import { afterEach, describe, expect, inject, it } from "vitest";
import { startFaultyIpfsProxy, type FaultyIpfsProxy } from "../test/faulty-ipfs-proxy.js";
import { MiB, collect, pieces, recursivePins } from "../test/ipfs-uploads.js";
import { BLOCKS_IN_FLIGHT, MAX_CHILDREN_PER_NODE } from "./ipfs-blocks.js";
import { connectIpfs } from "./ipfs.js";

describe("adding as blocks (the browser's upload)", () => {
  const ipfsUrl = inject("ipfsUrl");
  const blocks = connectIpfs(ipfsUrl, { addAs: "blocks" });
  const stream = connectIpfs(ipfsUrl, { addAs: "stream" });
  let proxy: FaultyIpfsProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  /**
   * Requests through `proxy` that pin: pin/* calls, or a block stored with pin=true. The upload talks to the node
   * only through the proxy, so none means it pinned nothing (the node's whole pin set is no measure: other test
   * files pin on the same node meanwhile).
   */
  const pinningRequests = (through: FaultyIpfsProxy): string[] => through.requests.filter((url) => /\/pin\/|[?&]pin=true/.test(url));

  it.each([
    ["0 B", 0],
    ["1 B", 1],
    ["1 MiB (one leaf)", MiB],
    ["1 MiB + 1 (two leaves)", MiB + 1],
    ["3 MiB + 17", 3 * MiB + 17],
  ])("gives the CID one streamed add gives, for %s; it opens with cat and is pinned", async (_label, size) => {
    const bytes = randomBytes(size);
    const uploaded: number[] = [];
    const added = await blocks.add(pieces(bytes), { onUploadProgress: (done) => uploaded.push(done) });
    expect(added.size).toBe(size);
    expect(added.cid).toBe((await stream.add(bytes)).cid);
    expect((await collect(blocks.cat(added.cid))).equals(bytes)).toBe(true);
    expect((await recursivePins()).has(added.cid)).toBe(true);
    expect(uploaded.at(-1) ?? 0).toBe(size);
    expect(uploaded).toEqual([...uploaded].sort((a, b) => a - b));
  });

  it("keeps at most a few blocks in flight", async () => {
    proxy = await startFaultyIpfsProxy(ipfsUrl, "none", 0);
    const bytes = randomBytes(12 * MiB);
    const added = await connectIpfs(proxy.url, { addAs: "blocks" }).add(pieces(bytes, 4 * MiB));
    expect(added.cid).toBe((await stream.add(bytes)).cid);
    expect(proxy.calls.get("block/put")).toBe(13); // 12 leaves and the root
    // The root went last and pinned the DAG in its own request.
    expect(pinningRequests(proxy)).toEqual([proxy.requests.at(-1)]);
    expect(proxy.requests.at(-1)).toMatch(/block\/put\?.*format=dag-pb.*&pin=true/);
    expect(proxy.calls.get("pin/add")).toBeUndefined();
    expect(proxy.mostBlocksInFlight).toBeGreaterThan(1);
    expect(proxy.mostBlocksInFlight).toBeLessThanOrEqual(BLOCKS_IN_FLIGHT);
  });

  it("pins a file of one leaf, its own root, with pin/add", async () => {
    proxy = await startFaultyIpfsProxy(ipfsUrl, "none", 0);
    const bytes = randomBytes(MiB);
    const added = await connectIpfs(proxy.url, { addAs: "blocks" }).add(pieces(bytes));
    expect(added.cid).toBe((await stream.add(bytes)).cid);
    expect(proxy.calls.get("block/put")).toBe(1);
    expect(proxy.calls.get("pin/add")).toBe(1);
    expect((await recursivePins()).has(added.cid)).toBe(true);
  });

  it("sends a DAG of two levels (over 174 leaves) with its root last, pinned in the root's request", async () => {
    proxy = await startFaultyIpfsProxy(ipfsUrl, "none", 0);
    const bytes = randomBytes(MAX_CHILDREN_PER_NODE * MiB + 1); // 175 leaves: two interior nodes under the root
    const added = await connectIpfs(proxy.url, { addAs: "blocks" }).add(pieces(bytes, 4 * MiB));
    expect(added.cid).toBe((await stream.add(bytes)).cid);
    const puts = proxy.requests.filter((url) => url.includes("/block/put"));
    expect(puts.filter((url) => url.includes("format=dag-pb"))).toHaveLength(3);
    expect(puts.at(-1)).toMatch(/format=dag-pb.*&pin=true/);
    expect(pinningRequests(proxy)).toEqual([puts.at(-1)]);
    expect(proxy.calls.get("pin/add")).toBeUndefined();
    expect((await recursivePins()).has(added.cid)).toBe(true);
  });

  it("fails with the node's error when a block is refused mid-way, pins nothing and stops sending", async () => {
    proxy = await startFaultyIpfsProxy(ipfsUrl, "block/put", 3);
    let read = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for await (const piece of pieces(randomBytes(20 * MiB), MiB)) {
        read += piece.length;
        yield piece;
      }
    }
    const error = (await connectIpfs(proxy.url, { addAs: "blocks" }).add(source()).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: "REMOTE_ERROR" });
    expect(error.message).toContain(proxy.url);
    expect(error.message).toContain("injected failure");
    expect(proxy.calls.get("pin/add")).toBeUndefined();
    expect(pinningRequests(proxy)).toEqual([]);
    expect(proxy.requests.some((url) => url.includes("/block/put"))).toBe(true);
    // The source stopped being read soon after the failure, not at its end.
    expect(read).toBeLessThan(20 * MiB);
    expect(proxy.calls.get("block/put")).toBeLessThan(3 + 2 * BLOCKS_IN_FLIGHT);
  });

  it("fails when the node answers a leaf with another kind of CID, and pins nothing", async () => {
    // A CIDv0 (dag-pb): what a node that ignored the import settings would store a leaf as.
    const v0 = CID.createV0(await sha256.digest(randomBytes(16))).toString();
    proxy = await startFaultyIpfsProxy(ipfsUrl, "block/put", 2, { status: 200, body: { Key: v0, Size: MiB } });
    const error = (await connectIpfs(proxy.url, { addAs: "blocks" }).add(pieces(randomBytes(6 * MiB), MiB)).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: "REMOTE_ERROR" });
    expect(error.message).toContain(`as ${v0}, not a CIDv1 of its SHA-256`);
    expect(proxy.calls.get("pin/add")).toBeUndefined();
    expect(pinningRequests(proxy)).toEqual([]);
    expect(proxy.requests.some((url) => url.includes("/block/put"))).toBe(true);
  });

  it("stops when the caller aborts", async () => {
    const controller = new AbortController();
    async function* source(): AsyncGenerator<Uint8Array> {
      yield randomBytes(MiB);
      controller.abort(new Error("the user cancelled"));
      yield randomBytes(MiB);
    }
    await expect(blocks.add(source(), { signal: controller.signal })).rejects.toThrow(/abort|cancel/i);
  });
});
