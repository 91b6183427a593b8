import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRpc, verifyReceipt } from "@openchart/sdk";
import { defaultResources, generateEncryptionKey, RecordVault, type AnchoringState } from "@openchart/sdk/vault";
import { walletSession } from "@openchart/testkit/session";
import { spawnLocalNode, type SpawnedNode } from "../composites/src/spawn";
import { startApi, startTestChain, type ApiProcess, type TestChain } from "../api/test/stack";
import { API_AUDIENCE, SIGN_IN_ENV } from "../api/test/signed-client";

// The record path end to end, with every part real: vault -> IPFS + Ceramic, commitment -> the API's
// anchoring queue -> RecordRegistry on a Hardhat node -> a receipt an auditor verifies with the chain alone.
const MARKER = "OPENCHART-ANCHOR-E2E-PLAINTEXT";

let work: string;
let chain: TestChain;
let node: SpawnedNode;
let api: ApiProcess;
let vault: RecordVault;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-anchoring-e2e-"));
  [chain, node] = await Promise.all([
    startTestChain(),
    spawnLocalNode({ dataDir: path.join(work, "node"), ceramicPort: 0, ipfsPort: 0 }),
  ]);
  api = await startApi({
    OPENCHART_RPC_URL: chain.chain.url,
    OPENCHART_DEPLOYMENTS_DIR: chain.deploymentsDir,
    OPENCHART_DATA_DIR: path.join(work, "api"),
    ANCHOR_BATCH_SIZE: "1",
    ANCHOR_INTERVAL_MS: "200",
    ...SIGN_IN_ENV,
  });
  // A wallet's did-session, as the web app makes one: the queue takes signed submissions only.
  const { session } = await walletSession({ resources: [...defaultResources(), API_AUDIENCE] });
  vault = new RecordVault({
    did: session.did,
    encryptionKey: generateEncryptionKey(),
    ceramicUrl: node.endpoints.ceramic,
    ipfsUrl: node.endpoints.ipfs,
    anchorServiceUrl: api.url,
    anchorAudience: API_AUDIENCE,
  });
  await vault.ensureEncryptionProfile();
});

afterAll(async () => {
  await api?.stop();
  await node?.stop();
  await chain?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

async function anchored(recordId: string): Promise<AnchoringState> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await vault.syncReceipt(recordId);
    if (state.status === "anchored" || Date.now() > deadline) return state;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("a record's commitment, anchored through the API", () => {
  it("queues on add, stores the receipt's chain part in the record, and exports a receipt that verifies", async () => {
    const content = new TextEncoder().encode(`Radiology report\n${MARKER}\n`);
    const added = await vault.addRecord({ content, title: "Radiology report", mediaType: "text/plain" });
    expect(added.anchoring).toEqual({ status: "queued" });

    const state = await anchored(added.id);
    expect(state.status).toBe("anchored");
    const stored = await vault.getRecord(added.id);
    expect(stored.receipt).toMatchObject({ status: "anchored" });
    // What sits in the public record: no plaintext hash, no salt, no content.
    const storedText = JSON.stringify(stored.receipt);
    expect(storedText).not.toContain(added.sha256.slice(2));
    expect(storedText).not.toContain(added.salt.slice(2));
    expect(storedText).not.toContain(MARKER);

    const receipt = await vault.exportReceipt(added.id);
    expect(receipt).toMatchObject({ documentSha256: added.sha256, salt: added.salt, leaf: added.commitment });
    const provider = await connectRpc(chain.chain.url);
    try {
      const registry = chain.deployment.contracts.RecordRegistry.address;
      const check = await verifyReceipt(content, receipt, provider, { registry, trustedAnchorers: [chain.deployment.batcher] });
      expect(check.verified).toBe(true);
      const altered = await verifyReceipt(new TextEncoder().encode("Radiology report\naltered\n"), receipt, provider, { registry });
      expect(altered.verified).toBe(false);
    } finally {
      provider.destroy();
    }
  });

  it("reports, without failing the upload, an anchoring service that is down", async () => {
    const offline = new RecordVault({
      did: (await walletSession({ resources: [...defaultResources(), API_AUDIENCE] })).session.did,
      encryptionKey: generateEncryptionKey(),
      ceramicUrl: node.endpoints.ceramic,
      ipfsUrl: node.endpoints.ipfs,
      anchorServiceUrl: "http://127.0.0.1:9",
    });
    await offline.ensureEncryptionProfile();
    const added = await offline.addRecord({ content: new Uint8Array([1, 2, 3]), title: "Allergy list" });
    expect(added.anchoring?.status).toBe("failed");
    expect(added.anchoring?.status === "failed" && added.anchoring.reason).toMatch(/cannot reach the anchoring service at http:\/\/127.0.0.1:9/);
    expect((await offline.getRecord(added.id)).id).toBe(added.id);
  });
});
