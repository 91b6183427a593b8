import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { OpenChartError } from "./errors.js";
import { connectIpfs } from "./ipfs.js";

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe("ipfs", () => {
  const store = connectIpfs(inject("ipfsUrl"));

  it("stores and streams back bytes, with the same CID for the same bytes", async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const progress: number[] = [];
    const added = await store.add(bytes, { onProgress: (done) => progress.push(done) });
    expect(added.size).toBe(bytes.length);
    expect(added.cid).toMatch(/^bafy/); // several 1 MiB raw leaves under a dag-pb root
    expect(progress.at(-1)).toBe(bytes.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const again = await store.add((async function* () {
      for (let i = 0; i < bytes.length; i += 65_536) yield bytes.subarray(i, i + 65_536);
    })());
    expect(again.cid).toBe(added.cid);

    const catProgress: number[] = [];
    const back = await collect(store.cat(added.cid, { totalBytes: bytes.length, onProgress: (done) => catProgress.push(done) }));
    expect(back.equals(bytes)).toBe(true);
    expect(catProgress.at(-1)).toBe(bytes.length);
  });

  it("stores an empty file and a one-byte file", async () => {
    const empty = await store.add(new Uint8Array(0));
    expect((await collect(store.cat(empty.cid))).length).toBe(0);
    const one = await store.add(Uint8Array.of(42));
    expect(one.cid).toMatch(/^bafk/); // a single raw leaf
    expect([...(await collect(store.cat(one.cid)))]).toEqual([42]);
  });

  it("rejects a malformed CID before asking the node", async () => {
    await expect(collect(store.cat("not-a-cid"))).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("names the endpoint and what to start when IPFS is unreachable", async () => {
    const dead = connectIpfs("http://127.0.0.1:9");
    const error = await dead.add(Uint8Array.of(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenChartError);
    expect(error).toMatchObject({ code: "UNREACHABLE" });
    expect((error as Error).message).toContain("http://127.0.0.1:9");
    expect((error as Error).message).toContain("npm run node:local");
    await expect(dead.ensureReachable()).rejects.toMatchObject({ code: "UNREACHABLE" });
  });

  it("rejects a URL that is not http(s)", () => {
    expect(() => connectIpfs("ftp://127.0.0.1")).toThrow(/http/);
  });
});
