// The stranger: someone with no key and no account who reads everything the platform makes public after the
// whole story (upload with a known title, share twice, notes, consent on chain, revoke). Nothing they read
// may give away a title, a media type, a category, an exact size, or who shares with whom.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consentIdOfOpening, consentRevokeRequest, encryptedSize, signedFetch, type ConsentOpening, type ConsentRelayRequest } from "@openchart/sdk";
import { runtimeDefinition } from "@openchart/sdk/vault";
import { crawlChain, crawlComposeDb, crawlPayloads, type ChainTrace, type PublicDocument, type PublicPayload } from "@openchart/testkit/public-crawl";
import { scanForMarker } from "@openchart/testkit/plaintext-scan";
import { DEMO_DOCTOR, DEMO_PATIENT, signInAs } from "./demo";
import { startPlatform, type Platform } from "./index";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-stranger-"));
const dataDir = path.join(work, "data");
const FREE = { chain: 0, ceramic: 0, ipfs: 0, api: 0, web: 0 };
const marker = `OPENCHART-PLAINTEXT-MARKER-${Date.now().toString(36)}`;
const TITLE = `Stranger test: psychiatry referral ${Date.now().toString(36)}`;
const CATEGORY = "stranger-test-category";
const MEDIA_TYPE = "application/vnd.openchart.stranger-test";
const SIZE = 12_345;

let platform: Platform;
let documents: PublicDocument[];
let payloads: PublicPayload[];
let chain: ChainTrace;
let parties: { patient: Party; doctor: Party };
let story: { recordId: string; cid: string; grants: { id: string; opening: ConsentOpening }[]; notes: string[] };

interface Party {
  did: string;
  /** The address in the forms a search would meet it: lower-case hex without 0x. */
  address: string;
  keyDid: string;
}

async function relay(as: Awaited<ReturnType<typeof signInAs>>, body: ConsentRelayRequest): Promise<void> {
  const response = await signedFetch(
    { did: as.did, cacao: as.did.capability },
    `${platform.endpoints.api}/consents/relay`,
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
    { audience: platform.endpoints.api },
  );
  expect(response.status, await response.clone().text()).toBe(200);
}

beforeAll(async () => {
  platform = await startPlatform({ dataDir, deploymentsDir: path.join(work, "deployments"), demo: true, ports: FREE });
  const target = { chainId: 31337, registry: platform.deployment.contracts.ConsentRegistry.address };
  const [patient, doctor] = await Promise.all([signInAs(DEMO_PATIENT.key, platform.endpoints, target), signInAs(DEMO_DOCTOR.key, platform.endpoints)]);
  const content = Buffer.alloc(SIZE, " ");
  content.write(`history\n${marker}\n`);
  const record = await patient.vault.addRecord({ content, title: TITLE, category: CATEGORY, mediaType: MEDIA_TYPE });
  const grants = [];
  for (let i = 0; i < 2; i++) {
    const grant = await patient.vault.shareRecords([record.id], doctor.vault.account, new Date(Date.now() + 86_400_000));
    const { consentGrantRequest } = await import("@openchart/sdk");
    await relay(patient, await consentGrantRequest(patient.encryptionKey.secretKey, grant.opening!, new Date(grant.expiresAt)));
    grants.push({ id: grant.id, opening: grant.opening! });
  }
  await patient.vault.revokeGrant(grants[1]!.id);
  await relay(patient, await consentRevokeRequest(patient.encryptionKey.secretKey, grants[1]!.opening));
  const notes = [];
  for (const text of ["Start sertraline 50 mg daily.", "Review in four weeks."]) {
    notes.push((await doctor.vault.writeNote({ patient: patient.vault.account, text, kind: "prescription", recordId: record.id })).id);
  }
  story = { recordId: record.id, cid: record.cid, grants, notes };
  const party = (as: typeof patient): Party => ({ did: as.vault.account, address: as.vault.account.split(":").at(-1)!.slice(2).toLowerCase(), keyDid: as.encryptionKey.did });
  parties = { patient: party(patient), doctor: party(doctor) };
  documents = await crawlComposeDb(platform.endpoints.ceramic, runtimeDefinition.models);
  payloads = await crawlPayloads(platform.endpoints.ipfs, documents);
  chain = await crawlChain(platform.endpoints.chain, Object.values(platform.deployment.contracts).map((c) => c.address));
}, 300_000);

afterAll(async () => {
  await platform?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

const text = (document: PublicDocument): string => JSON.stringify(document.versions).toLowerCase();

describe("what a stranger reads after the whole story", () => {
  it("crawled every document of the story (records, grants, notes) with their history", () => {
    const ids = new Set(documents.map((d) => d.id));
    for (const id of [story.recordId, ...story.grants.map((g) => g.id), ...story.notes]) expect(ids.has(id), id).toBe(true);
    expect(documents.find((d) => d.id === story.grants[1]!.id)!.versions.length).toBeGreaterThan(2); // created, then revoked
    // The search below sees inside signed commits: each controller's address is in its own commits' capability.
    for (const id of story.notes) expect(text(documents.find((d) => d.id === id)!)).toContain(parties.doctor.address);
    expect(text(documents.find((d) => d.id === story.recordId)!)).toContain(parties.patient.address);
  });

  it("finds no title, media type, category, CID or exact size in any document", () => {
    for (const document of documents) {
      const all = text(document);
      for (const secret of [TITLE, MEDIA_TYPE, CATEGORY, story.cid]) expect(all, `${document.model} ${document.id}`).not.toContain(secret.toLowerCase());
      const fields = Object.values(document.versions[0] as Record<string, unknown>);
      expect(fields, `${document.model} ${document.id}`).not.toContain(SIZE);
      expect(fields, `${document.model} ${document.id}`).not.toContain(String(SIZE));
    }
  });

  it("cannot tell the exact size from the ciphertext: the neighbouring sizes encrypt to the same length", async () => {
    const response = await fetch(`${platform.endpoints.ipfs}/api/v0/cat?arg=${story.cid}`, { method: "POST" });
    const length = (await response.arrayBuffer()).byteLength;
    expect(length).toBe(encryptedSize(SIZE));
    expect(encryptedSize(SIZE - 1)).toBe(length);
    expect(encryptedSize(SIZE + 1)).toBe(length);
  });

  it("finds each party only as the controller of their own documents: no DID, address or encryption key of the other", () => {
    for (const document of documents) {
      for (const [name, party] of Object.entries(parties)) {
        if (document.controller === party.did) continue;
        const all = text(document);
        expect(all, `${name} in ${document.model} ${document.id}`).not.toContain(party.address);
        if (document.model !== "EncryptionProfile") expect(all, `${name}'s key in ${document.model} ${document.id}`).not.toContain(party.keyDid.toLowerCase());
      }
    }
  });

  it("sees no public value shared by two grants, or two notes, to one recipient", () => {
    for (const ids of [story.grants.map((g) => g.id), story.notes]) {
      const [a, b] = ids.map((id) => documents.find((d) => d.id === id)!.versions[0] as Record<string, string>);
      // The one-byte view tag matches 1 in 256 of all documents by chance, so it is not compared.
      for (const field of ["ephemeralKey", "payload"]) expect(a![field]).not.toBe(b![field]);
    }
  });

  it("reads in the sealed payloads in IPFS (every version of every grant and note) nothing but ciphertext of one length per kind", () => {
    const of = (ids: string[]) => payloads.filter((p) => ids.includes(p.document));
    const grantPayloads = of(story.grants.map((g) => g.id));
    // Two grants, one revoked (a second payload): three payloads, all padded to one length.
    expect(grantPayloads).toHaveLength(3);
    expect(new Set(grantPayloads.map((p) => p.bytes.length)).size).toBe(1);
    expect(new Set(of(story.notes).map((p) => p.bytes.length)).size).toBe(1);
    const secrets = [TITLE, MEDIA_TYPE, CATEGORY, story.cid, story.recordId, marker, ...story.grants.map((g) => g.opening.salt.slice(2))];
    for (const party of Object.values(parties)) secrets.push(party.did, party.address, party.keyDid);
    for (const payload of payloads) {
      const all = payload.bytes.toString("latin1").toLowerCase();
      for (const secret of secrets) expect(all, `${payload.model} ${payload.document} payload ${payload.cid}`).not.toContain(secret.toLowerCase());
    }
  });

  it("finds neither party on chain: no sender, calldata, log or storage slot holds their address", () => {
    expect(chain.transactions.length).toBeGreaterThanOrEqual(4); // anchoring, two grants, a revoke
    expect(chain.storage.length).toBeGreaterThanOrEqual(3); // the crawl sees the consents' slots
    for (const party of Object.values(parties)) {
      expect(chain.transactions.map((t) => t.from)).not.toContain(`0x${party.address}`);
      for (const t of chain.transactions) expect(t.input).not.toContain(party.address);
      for (const log of chain.logs) expect([...log.topics, log.data].join()).not.toContain(party.address);
      for (const slot of chain.storage) expect(`${slot.key}${slot.value}`.toLowerCase()).not.toContain(party.address);
    }
  });

  it("sees consents as an id and an expiry only, and cannot recompute one: its salt is nowhere public", () => {
    const ids = story.grants.map((g) => consentIdOfOpening(g.opening).toLowerCase());
    for (const id of ids) expect(chain.logs.some((l) => l.topics[1] === id)).toBe(true);
    for (const log of chain.logs.filter((l) => ids.includes(l.topics[1]!))) {
      expect(log.topics).toHaveLength(2);
      expect(log.data.length).toBeLessThanOrEqual(2 + 64);
    }
    for (const { opening } of story.grants) {
      const salt = opening.salt.slice(2).toLowerCase();
      for (const document of documents) expect(text(document)).not.toContain(salt);
      for (const t of chain.transactions) expect(t.input).not.toContain(salt);
    }
  });

  it("finds no DID or address in a logged query string, and no plaintext anywhere on disk", () => {
    const log = fs.readFileSync(path.join(dataDir, "logs", "api.log"), "utf8");
    expect(log).not.toMatch(/\?[^"\s]*(did(:|%3a)|0x[0-9a-f]{40})/i);
    for (const { opening } of story.grants) expect(log).not.toContain(opening.salt.slice(2));
    expect(scanForMarker(dataDir, marker).hits).toEqual([]);
  });
});
