import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { create as kuboClient } from "kubo-rpc-client";
import { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import { afterEach, describe, expect, inject, it } from "vitest";
import { startFaultyIpfsProxy, type FaultyIpfsProxy } from "../test/faulty-ipfs-proxy.js";
import { connectIpfs } from "./ipfs.js";

const MiB = 1024 * 1024;

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The bytes in uneven pieces, as an encryption stream hands them over. */
async function* pieces(bytes: Uint8Array, size = 300_007): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

describe("adding in one request (a browser's upload up to 64 MiB)", () => {
  const ipfsUrl = inject("ipfsUrl");
  const request = connectIpfs(ipfsUrl, { addAs: "request" });
  const stream = connectIpfs(ipfsUrl, { addAs: "stream" });
  let proxy: FaultyIpfsProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  /** The node's pins, read with the platform's token (pin/ls is not open to clients). */
  async function recursivePins(): Promise<Set<string>> {
    const token = (await fs.readFile(path.join(inject("nodeDataDir"), "ipfs-rpc.token"), "utf8")).trim();
    const operator = kuboClient({ url: ipfsUrl, headers: { authorization: `Bearer ${token}` } });
    const pins = new Set<string>();
    for await (const pin of operator.pin.ls({ type: "recursive" })) pins.add(pin.cid.toV1().toString());
    return pins;
  }

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
