import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ComposeClient } from "@composedb/client";
import { DID } from "dids";
import { Ed25519Provider } from "key-did-provider-ed25519";
import * as KeyDidResolver from "key-did-resolver";
import { create as kuboClient } from "kubo-rpc-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRuntimeDefinition } from "./composites.js";
import { rpcTokenFile } from "./config.js";
import { spawnLocalNode, type SpawnedNode } from "./spawn.js";

const CREATE = `mutation($input: CreateSealedRecordInput!) { createSealedRecord(input: $input) { document { id } } }`;
const READ = `query($id: ID!) { node(id: $id) { ... on SealedRecord { header keyVersion patient { id } } } }`;
const LIST = `query { sealedRecordIndex(first: 10) { edges { node { id keyVersion } } } }`;

/** Files and folders under `dir` that someone other than their owner may read, write or enter. */
async function notOwnerOnly(dir: string): Promise<string[]> {
  const loose: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const stat = await fs.lstat(file);
    if (!stat.isSymbolicLink() && (stat.mode & 0o077) !== 0) loose.push(`${path.relative(dir, file)} ${(stat.mode & 0o777).toString(8)}`);
  }
  return loose;
}

async function patientDid(): Promise<DID> {
  const did = new DID({ provider: new Ed25519Provider(randomBytes(32)), resolver: KeyDidResolver.getResolver() });
  await did.authenticate();
  return did;
}

describe("local node", () => {
  let dataDir: string;
  let node: SpawnedNode | undefined;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "openchart-node-"));
    // As a user's .data/ from an earlier run may be: readable by everyone.
    await fs.chmod(dataDir, 0o755);
  });
  afterAll(async () => {
    await node?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("keeps documents and IPFS blocks across a stop and a start", async () => {
    node = await spawnLocalNode({ dataDir, ceramicPort: 0, ipfsPort: 0 });
    const definition = await readRuntimeDefinition();
    const bytes = randomBytes(300_000);
    const ipfs = kuboClient({ url: node.endpoints.ipfs });
    const added = await ipfs.add(bytes, { cidVersion: 1, rawLeaves: true, chunker: "size-262144", pin: true });

    const compose = new ComposeClient({ ceramic: node.endpoints.ceramic, definition });
    const did = await patientDid();
    compose.setDID(did);
    const created = await compose.executeQuery<{ createSealedRecord: { document: { id: string } } }>(CREATE, {
      input: {
        content: {
          header: `persistence check ${added.cid.toString()}`,
          keyVersion: 1,
          commitment: `0x${"ab".repeat(32)}`,
        },
      },
    });
    expect(created.errors).toBeUndefined();
    const id = created.data!.createSealedRecord.document.id;

    expect(await node.stop()).toBe(0);
    // Security round 2, item 9: the IPFS repo (Identity.PrivKey), Ceramic's state and index, the RPC token.
    expect((await fs.stat(rpcTokenFile(dataDir))).mode & 0o777).toBe(0o600);
    expect(await notOwnerOnly(dataDir)).toEqual([]);
    node = await spawnLocalNode({ dataDir, ceramicPort: 0, ipfsPort: 0 });

    const after = new ComposeClient({ ceramic: node.endpoints.ceramic, definition });
    after.setDID(did);
    const read = await after.executeQuery<{ node: { header: string; patient: { id: string } } }>(READ, { id });
    expect(read.errors).toBeUndefined();
    expect(read.data?.node).toMatchObject({ header: `persistence check ${added.cid.toString()}`, patient: { id: did.id } });
    const listed = await after.executeQuery<{ sealedRecordIndex: { edges: { node: { id: string } }[] } }>(LIST);
    expect(listed.data?.sealedRecordIndex.edges.map((e) => e.node.id)).toContain(id);

    const chunks: Uint8Array[] = [];
    for await (const chunk of kuboClient({ url: node.endpoints.ipfs }).cat(added.cid)) chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it("stops cleanly on SIGTERM", async () => {
    expect(node).toBeDefined();
    expect(await node!.stop()).toBe(0);
    node = undefined;
  });

  it("refuses to start on a state store whose pinned commits the IPFS repo lost", async () => {
    // The blocks of the IPFS repo gone, Ceramic's state store kept: the node must say so rather than serve holes.
    await fs.rm(path.join(dataDir, "ipfs", "blocks"), { recursive: true, force: true });
    await expect(spawnLocalNode({ dataDir, ceramicPort: 0, ipfsPort: 0 })).rejects.toThrow(/IPFS data missing: commit \w+ of a pinned stream is not in the local IPFS repo/);
  });
});
