import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { create as kuboClient } from "kubo-rpc-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIpfsNode, type RunningIpfs } from "./ipfs-node.js";

// Security round 2, item 9: any local process or web page could read Identity.PrivKey over the RPC,
// and unpin and garbage-collect a patient's ciphertext.
const WEB_APP = "http://127.0.0.1:8080";
const TOKEN = randomBytes(32).toString("base64url");
let repoDir: string;
let node: RunningIpfs;

beforeAll(async () => {
  repoDir = await fs.mkdtemp(path.join(os.tmpdir(), "openchart-ipfs-"));
  node = await startIpfsNode({ repoDir, host: "127.0.0.1", port: 0, corsOrigins: [WEB_APP], rpcToken: TOKEN });
}, 60_000);

afterAll(async () => {
  await node?.stop();
  await fs.rm(repoDir, { recursive: true, force: true });
});

const rpc = (endpoint: string, headers: Record<string, string> = {}) => fetch(`${node.rpcUrl}/api/v0/${endpoint}`, { method: "POST", headers });
const bearer = { authorization: `Bearer ${TOKEN}` };

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe("the local IPFS node's RPC", () => {
  it("serves neither its configuration (Identity.PrivKey) nor its keys, to anyone", async () => {
    for (const endpoint of ["config/show", "config?arg=Identity.PrivKey", "config/Identity.PrivKey", "%63onfig/show", "config/replace", "key/list", "key/gen?arg=x", "key/export?arg=self"]) {
      for (const headers of [{}, bearer, { origin: WEB_APP }] as Record<string, string>[]) {
        const response = await rpc(endpoint, headers);
        expect([endpoint, response.status]).toEqual([endpoint, 403]);
        expect(await response.text()).not.toMatch(/PrivKey"\s*:/);
      }
    }
  });

  it("lets only the platform's token unpin and collect garbage, never a browser page", async () => {
    const ipfs = kuboClient({ url: node.rpcUrl });
    const { cid } = await ipfs.add(randomBytes(2_000), { cidVersion: 1, rawLeaves: true, pin: true });
    for (const endpoint of [`pin/rm?arg=${cid}`, "repo/gc", "files/rm?arg=/x", "shutdown", "swarm/connect?arg=/ip4/1.2.3.4/tcp/1"]) {
      expect([endpoint, (await rpc(endpoint)).status]).toEqual([endpoint, 401]);
      expect([endpoint, (await rpc(endpoint, { authorization: "Bearer wrong" })).status]).toEqual([endpoint, 401]);
      expect([endpoint, (await rpc(endpoint, { ...bearer, origin: WEB_APP })).status]).toEqual([endpoint, 403]);
    }
    // The platform's own tools, with the token, still can.
    const operator = kuboClient({ url: node.rpcUrl, headers: bearer });
    await expect(collect(ipfs.pin.ls({ paths: cid }))).rejects.toThrow();
    expect((await collect(operator.pin.ls({ paths: cid }))).map((pin) => pin.cid.toString())).toEqual([cid.toString()]);
    await operator.pin.rm(cid);
    await expect(collect(operator.pin.ls({ paths: cid }))).rejects.toThrow(/not pinned/);
  });

  it("serves the web app's origin what the app calls, and a foreign page nothing", async () => {
    const bytes = randomBytes(1_000);
    const form = new FormData();
    form.append("file", new Blob([bytes]));
    const add = (origin: string) => fetch(`${node.rpcUrl}/api/v0/add?cid-version=1&raw-leaves=true&pin=true&cid-base=base32`, { method: "POST", headers: { origin }, body: form });
    const added = await add(WEB_APP);
    expect(added.status).toBe(200);
    expect(added.headers.get("access-control-allow-origin")).toBe(WEB_APP);
    const { Hash } = (await added.json()) as { Hash: string };
    const cat = await rpc(`cat?arg=${Hash}`, { origin: WEB_APP });
    expect(Buffer.from(await cat.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await rpc("version", { origin: WEB_APP })).status).toBe(200);
    // The app's uploads: each block put as it is encrypted, then the root pinned.
    const block = new FormData();
    block.append("file", new Blob([bytes]));
    const put = (origin: string) =>
      fetch(`${node.rpcUrl}/api/v0/block/put?format=raw&mhtype=sha2-256&version=1`, { method: "POST", headers: { origin }, body: block });
    const stored = await put(WEB_APP);
    expect(stored.status).toBe(200);
    expect(((await stored.json()) as { Key: string }).Key).toBe(Hash);
    expect((await rpc(`pin/add?arg=${Hash}&recursive=true`, { origin: WEB_APP })).status).toBe(200);

    for (const origin of ["http://evil.example", "http://127.0.0.1:9999", "null"]) {
      expect([origin, (await add(origin)).status]).toEqual([origin, 403]);
      expect([origin, (await put(origin)).status]).toEqual([origin, 403]);
      expect([origin, (await rpc(`pin/add?arg=${Hash}`, { origin })).status]).toEqual([origin, 403]);
      expect([origin, (await rpc(`cat?arg=${Hash}`, { origin })).status]).toEqual([origin, 403]);
    }
  });

  it("takes a whole 1 MiB block in one request with its length, as a browser sends it, and nothing much larger", async () => {
    const put = (bytes: Uint8Array) => {
      const form = new FormData();
      form.append("file", new Blob([bytes]));
      return fetch(`${node.rpcUrl}/api/v0/block/put?format=raw&mhtype=sha2-256&version=1`, { method: "POST", headers: { origin: WEB_APP }, body: form });
    };
    expect((await put(randomBytes(1024 * 1024))).status).toBe(200);
    expect((await put(randomBytes(2 * 1024 * 1024))).status).toBe(413);
  });

  it("still serves the sdk's calls from Node (add, cat, id, version) without a token", async () => {
    const ipfs = kuboClient({ url: node.rpcUrl });
    const bytes = randomBytes(5_000);
    const { cid } = await ipfs.add(bytes, { cidVersion: 1, rawLeaves: true, chunker: "size-1048576", pin: true });
    expect(Buffer.concat(await collect(ipfs.cat(cid))).equals(bytes)).toBe(true);
    expect((await ipfs.id()).id).toBeDefined();
    expect((await ipfs.version()).version).toBeDefined();
  });
});
