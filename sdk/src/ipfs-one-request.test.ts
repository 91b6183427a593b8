import { randomBytes } from "node:crypto";
import { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import { afterEach, describe, expect, inject, it } from "vitest";
import { startFaultyIpfsProxy, type FaultyIpfsProxy } from "../test/faulty-ipfs-proxy.js";
import { MiB, collect, pieces, recursivePins } from "../test/ipfs-uploads.js";
import { connectIpfs } from "./ipfs.js";

describe("adding in one request (a browser's upload up to 64 MiB)", () => {
  const ipfsUrl = inject("ipfsUrl");
  const request = connectIpfs(ipfsUrl, { addAs: "request" });
  const stream = connectIpfs(ipfsUrl, { addAs: "stream" });
  let proxy: FaultyIpfsProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it.each([
    ["0 B", 0],
    ["1 B", 1],
    ["1 MiB (one leaf)", MiB],
    ["3 MiB + 17", 3 * MiB + 17],
  ])("gives the CID a streamed add gives, for %s; it opens with cat and is pinned", async (_label, size) => {
    const bytes = randomBytes(size);
    const sent: number[] = [];
    const added = await request.add(pieces(bytes), { onUploadProgress: (done) => sent.push(done) });
    expect(added).toEqual({ cid: (await stream.add(bytes)).cid, size });
    expect((await collect(request.cat(added.cid))).equals(bytes)).toBe(true);
    expect((await recursivePins()).has(added.cid)).toBe(true);
    expect(sent.at(-1)).toBe(size);
  });

  it("chooses by size where no transport is set: one request up to the bound, blocks above it or when the size is unknown", async () => {
    proxy = await startFaultyIpfsProxy(ipfsUrl, "none", 0);
    const bySize = connectIpfs(proxy.url, { addAs: "by-size", oneRequestMaxBytes: 2 * MiB });
    const bytes = randomBytes(2 * MiB);
    await bySize.add(pieces(bytes), { uploadTotalBytes: bytes.length });
    expect([...proxy.calls.keys()]).toEqual(["add"]);
    await bySize.add(pieces(randomBytes(2 * MiB + 1)), { uploadTotalBytes: 2 * MiB + 1 });
    await bySize.add(pieces(randomBytes(MiB + 1)));
    expect(proxy.calls.get("add")).toBe(1);
    expect(proxy.calls.get("block/put")).toBe(4 + 3); // three leaves and the root, then two and the root
  });

  it("fails with the node's error when the node refuses the add, and asks nothing more", async () => {
    proxy = await startFaultyIpfsProxy(ipfsUrl, "add", 1);
    const bytes = randomBytes(MiB + 5);
    const error = (await connectIpfs(proxy.url, { addAs: "request" }).add(pieces(bytes)).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: "REMOTE_ERROR" });
    expect(error.message).toContain(proxy.url);
    expect(error.message).toContain("injected failure");
    // The refused add was the only request: no pin, no block.
    expect(proxy.requests).toHaveLength(1);
  });

  it("fails when the node answers a CID other than a CIDv1", async () => {
    const v0 = CID.createV0(await sha256.digest(randomBytes(16))).toString();
    proxy = await startFaultyIpfsProxy(ipfsUrl, "add", 1, { status: 200, body: { Name: "file", Hash: v0, Size: "1" } });
    const error = (await connectIpfs(proxy.url, { addAs: "request" }).add(pieces(randomBytes(10))).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: "REMOTE_ERROR" });
    expect(error.message).toContain(`as ${v0}, not a CIDv1`);
  });

  it("sends nothing when the caller aborts while the bytes are made", async () => {
    proxy = await startFaultyIpfsProxy(ipfsUrl, "none", 0);
    const controller = new AbortController();
    async function* source(): AsyncGenerator<Uint8Array> {
      yield randomBytes(MiB);
      controller.abort(new Error("the user cancelled"));
      yield randomBytes(MiB);
    }
    await expect(connectIpfs(proxy.url, { addAs: "request" }).add(source(), { signal: controller.signal })).rejects.toThrow(/cancelled/);
    expect(proxy.requests).toEqual([]);
  });
});
