import { createHash, randomBytes } from "node:crypto";
import type { DID } from "dids";
import { Wallet } from "ethers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { scanForMarker } from "@openchart/testkit/plaintext-scan";
import { startFaultyIpfsProxy } from "../../test/faulty-ipfs-proxy.js";
import { encryptedSize, type EncryptionKeyPair } from "../crypto/index.js";
import { connectIpfs } from "../ipfs.js";
import { connectCeramic } from "../streams/compose-store.js";
import { privateKeyProvider } from "../streams/key-provider.js";
import { didFromSeed, signInWithEthereum } from "../streams/session.js";
import { generateEncryptionKey } from "./keys.js";
import { encryptAndStore } from "./record-content.js";
import { openRecordHeader, sealRecordHeader } from "./record-header.js";
import { RecordVault } from "../vault.js";

async function bytesOf(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

interface User {
  did: DID;
  key: EncryptionKeyPair;
  vault: RecordVault;
}

describe("record vault", () => {
  const ceramicUrl = inject("ceramicUrl");
  const ipfsUrl = inject("ipfsUrl");
  let patient: User;
  let doctor: User;
  let stranger: User;

  async function user(did: DID): Promise<User> {
    const key = generateEncryptionKey();
    const vault = new RecordVault({ did, encryptionKey: key, ceramicUrl, ipfsUrl });
    await vault.ensureEncryptionProfile();
    return { did, key, vault };
  }

  beforeAll(async () => {
    // The patient and the doctor sign in with wallets (did:pkh), the stranger with a did:key.
    const [patientSession, doctorSession] = await Promise.all(
      [Wallet.createRandom(), Wallet.createRandom()].map((w) => signInWithEthereum(privateKeyProvider(w.privateKey))),
    );
    [patient, doctor, stranger] = await Promise.all([
      user(patientSession!.did),
      user(doctorSession!.did),
      user(await didFromSeed(randomBytes(32))),
    ]);
  });

  it("takes its content step from elsewhere (the web app's upload worker): stored under the key it is given, the record opens", async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const keys: Uint8Array[] = [];
    const stages: string[] = [];
    const uploaded: number[] = [];
    const added = await patient.vault.addRecord({
      // What the worker runs: the same pipeline, on the content key addRecord hands over, sent as blocks
      // while it is encrypted (a browser's connectIpfs).
      storeContent: (contentKey) => {
        keys.push(contentKey);
        return encryptAndStore(connectIpfs(ipfsUrl, { addAs: "blocks" }), bytes, contentKey, { size: bytes.length, onUploadProgress: (sent) => uploaded.push(sent) });
      },
      title: "from a worker",
      mediaType: "application/pdf",
      onStage: (stage) => stages.push(stage),
    });
    expect(keys).toHaveLength(1);
    expect(stages).toEqual(["indexing"]);
    expect(uploaded.at(-1)).toBe(encryptedSize(bytes.length)); // every ciphertext byte, padded
    expect(added).toMatchObject({ size: bytes.length, sha256: `0x${createHash("sha256").update(bytes).digest("hex")}` });
    // Buffer.equals, not toEqual: a deep comparison of 3 MiB takes vitest 20 to 40 s of blocked event loop.
    expect(Buffer.from((await patient.vault.readRecord(added.id)).bytes).equals(bytes)).toBe(true);
    await expect(patient.vault.addRecord({ title: "nothing" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it.each([
    ["0 B", 0],
    ["1 B", 1],
    ["1 MiB", 1 << 20],
  ])("round-trips a %s file", async (_label, size) => {
    const bytes = randomBytes(size);
    const progress: number[] = [];
    const added = await patient.vault.addRecord({ content: bytes, title: `file of ${size}`, mediaType: "application/pdf", size, onProgress: (d) => progress.push(d) });
    expect(added).toMatchObject({ owner: patient.vault.account, size, mediaType: "application/pdf", keyVersion: 1 });
    expect(added.sha256).toBe(`0x${createHash("sha256").update(bytes).digest("hex")}`);
    if (size > 0) expect(progress.at(-1)).toBe(size);
    const { record, bytes: back } = await patient.vault.readRecord(added.id);
    expect(record.commitment).toBe(added.commitment);
    expect(Buffer.from(back).equals(bytes)).toBe(true);
  });

  it("streams a 50 MiB file in and out", async () => {
    const size = 50 * 1024 * 1024;
    const block = randomBytes(1024 * 1024);
    const hash = createHash("sha256");
    async function* file(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 50; i++) {
        const piece = Buffer.concat([Buffer.from(String(i).padStart(8, "0")), block.subarray(8)]);
        hash.update(piece);
        yield piece;
      }
    }
    const added = await patient.vault.addRecord({ content: file(), title: "large scan", mediaType: "application/dicom", size });
    expect(added.size).toBe(size);
    const expected = hash.digest("hex");
    const { content } = await patient.vault.openRecord(added.id);
    const check = createHash("sha256");
    let total = 0;
    for await (const chunk of content) {
      check.update(chunk);
      total += chunk.byteLength;
    }
    expect(total).toBe(size);
    expect(check.digest("hex")).toBe(expected);
    expect((await content.result).sha256).toBe(`0x${expected}`);
  });

  it("lists the patient's records", async () => {
    const records = await patient.vault.listRecords();
    expect(records.length).toBeGreaterThanOrEqual(4);
    expect(records.every((r) => r.owner === patient.vault.account)).toBe(true);
  });

  it("shares with a doctor, not with anyone else, and a key rotation re-wraps the new key to the running grant", async () => {
    const bytes = randomBytes(200_000);
    const added = await patient.vault.addRecord({ content: bytes, title: "referral", category: "clinical-note" });
    const grant = await patient.vault.shareRecords([added.id], doctor.vault.account, new Date(Date.now() + 86_400_000));
    expect(grant).toMatchObject({ patient: patient.vault.account, grantee: doctor.vault.account, recordIds: [added.id], revoked: false });

    const shared = await doctor.vault.listSharedWithMe();
    expect(shared.map((g) => g.id)).toEqual([grant.id]);
    expect(shared[0]!.records.map((r) => r.id)).toEqual([added.id]);
    expect(Buffer.from((await doctor.vault.readRecord(added.id)).bytes).equals(bytes)).toBe(true);

    expect(await stranger.vault.listSharedWithMe()).toEqual([]);
    await expect(stranger.vault.readRecord(added.id)).rejects.toMatchObject({ code: "NOT_AUTHORIZED" });

    const rotated = await patient.vault.rotateKey(added.id);
    expect(rotated.keyVersion).toBe(2);
    expect(rotated.cid).not.toBe(added.cid);
    expect(rotated.commitment).toBe(added.commitment);
    expect(rotated.rewrappedGrants).toEqual([grant.id]);
    expect(Buffer.from((await patient.vault.readRecord(added.id)).bytes).equals(bytes)).toBe(true);
    // The running grant holds the new key (grant-changes.test.ts: an ended one does not).
    const opened = await doctor.vault.readRecord(added.id);
    expect(opened.record.keyVersion).toBe(2);
    expect(Buffer.from(opened.bytes).equals(bytes)).toBe(true);
  });

  it("stops opening a record once its grant is revoked", async () => {
    const added = await patient.vault.addRecord({ content: randomBytes(100), title: "revocable" });
    const grant = await patient.vault.shareRecords([added.id], doctor.vault.account, new Date(Date.now() + 86_400_000));
    await doctor.vault.readRecord(added.id);
    expect((await patient.vault.revokeGrant(grant.id)).revoked).toBe(true);
    await expect(doctor.vault.readRecord(added.id)).rejects.toMatchObject({ code: "NOT_AUTHORIZED" });
    await expect(doctor.vault.revokeGrant(grant.id)).rejects.toMatchObject({ code: "NOT_AUTHORIZED" });
  });

  it("syncs and exports a record's receipt for its patient only", async () => {
    const added = await patient.vault.addRecord({ content: randomBytes(10), title: "receipt owner" });
    expect(added.anchoring).toBeUndefined();
    // No anchoring service is configured for these vaults: the patient is told so, anyone else is refused first.
    await expect(patient.vault.syncReceipt(added.id)).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/anchorServiceUrl/) });
    await expect(doctor.vault.syncReceipt(added.id)).rejects.toMatchObject({ code: "NOT_AUTHORIZED", message: expect.stringMatching(/only the patient/) });
    await expect(stranger.vault.exportReceipt(added.id)).rejects.toMatchObject({ code: "NOT_AUTHORIZED", message: expect.stringMatching(/only the patient/) });
  });

  it("lets a doctor write a note only the patient and the doctor can read", async () => {
    const note = await doctor.vault.writeNote({ patient: patient.vault.account, text: "Start 5 mg daily.", kind: "prescription" });
    expect(note).toMatchObject({ author: doctor.vault.account, patient: patient.vault.account, kind: "prescription" });
    expect((await patient.vault.listNotes()).map((n) => n.id)).toContain(note.id);
    expect((await doctor.vault.listNotes(patient.vault.account)).map((n) => n.id)).toEqual([note.id]);
    expect((await patient.vault.readNote(note.id)).text).toBe("Start 5 mg daily.");
    expect((await doctor.vault.readNote(note.id)).text).toBe("Start 5 mg daily.");
    await expect(stranger.vault.readNote(note.id)).rejects.toMatchObject({ code: "NOT_AUTHORIZED" });
    expect(await stranger.vault.listNotes()).toEqual([]);
    await expect(doctor.vault.writeNote({ patient: patient.vault.account, text: "x".repeat(40_000) })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  describe("detects damaged ciphertext", () => {
    const blobs = connectIpfs(ipfsUrl);

    async function withCiphertext(change: (ciphertext: Buffer) => Buffer): Promise<string> {
      const added = await patient.vault.addRecord({ content: randomBytes(300_000), title: "to be damaged" });
      const damaged = change(await bytesOf(blobs.cat(added.cid)));
      const { cid } = await blobs.add(damaged);
      // Only the patient can re-point a record: through its sealed header.
      const store = connectCeramic(ceramicUrl);
      store.setDID(patient.did);
      const document = (await store.get("SealedRecord", added.id))!;
      const header = await openRecordHeader(document.content.header, patient.key.secretKey, "test");
      await store.update("SealedRecord", added.id, { header: await sealRecordHeader({ ...header, cid }, patient.key.secretKey) });
      return added.id;
    }

    it("tampered bytes", async () => {
      const id = await withCiphertext((c) => {
        c[c.length >> 1]! ^= 0x01;
        return c;
      });
      await expect(patient.vault.readRecord(id)).rejects.toMatchObject({ code: "TAMPERED" });
    });

    it("a truncated ciphertext", async () => {
      const id = await withCiphertext((c) => c.subarray(0, c.length - 1000));
      await expect(patient.vault.readRecord(id)).rejects.toMatchObject({ code: "TRUNCATED" });
    });

    it("a tampered sealed header, which listing reports without hiding the other records", async () => {
      // A patient of its own: the altered record would otherwise sit in the main patient's list.
      const owner = await user(await didFromSeed(randomBytes(32)));
      const intact = await owner.vault.addRecord({ content: randomBytes(10), title: "intact header" });
      const added = await owner.vault.addRecord({ content: randomBytes(10), title: "tampered header" });
      const store = connectCeramic(ceramicUrl);
      store.setDID(owner.did);
      const { header } = (await store.get("SealedRecord", added.id))!.content;
      const jwe = JSON.parse(header) as { ciphertext: string };
      const flipped = jwe.ciphertext[5] === "A" ? "B" : "A";
      jwe.ciphertext = jwe.ciphertext.slice(0, 5) + flipped + jwe.ciphertext.slice(6);
      await store.update("SealedRecord", added.id, { header: JSON.stringify(jwe) });
      await expect(owner.vault.readRecord(added.id)).rejects.toMatchObject({ code: "TAMPERED" });
      const unreadable: string[] = [];
      const listed = await owner.vault.listRecords((r) => unreadable.push(`${r.id} ${(r.error as { code?: string }).code}`));
      expect(listed.map((r) => r.id)).toEqual([intact.id]);
      expect(unreadable).toEqual([`${added.id} TAMPERED`]);
    });

    it("a key that does not open the header", async () => {
      const added = await patient.vault.addRecord({ content: randomBytes(10), title: "wrong key" });
      const impostor = new RecordVault({ did: patient.did, encryptionKey: generateEncryptionKey(), ceramicUrl, ipfsUrl });
      await expect(impostor.readRecord(added.id)).rejects.toMatchObject({ code: "WRONG_KEY" });
    });
  });

  describe("bad input", () => {
    it("rejects an oversized title, a bad media type and a bad category before writing", async () => {
      await expect(patient.vault.addRecord({ content: randomBytes(1), title: "x".repeat(201) })).rejects.toMatchObject({ code: "INVALID_INPUT" });
      await expect(patient.vault.addRecord({ content: randomBytes(1), title: "t", mediaType: "pdf" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
      await expect(patient.vault.addRecord({ content: randomBytes(1), title: "t", category: "a b" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    });

    it("rejects invalid DIDs, unknown grantees, past expiries and unknown or malformed record IDs", async () => {
      const [first] = await patient.vault.listRecords();
      const later = new Date(Date.now() + 60_000);
      await expect(patient.vault.shareRecords([first!.id], "did:web:example.com", later)).rejects.toMatchObject({ code: "INVALID_INPUT" });
      await expect(patient.vault.shareRecords([first!.id], doctor.vault.account, new Date(Date.now() - 1000))).rejects.toMatchObject({ code: "INVALID_INPUT" });
      const nobody = (await didFromSeed(randomBytes(32))).id;
      await expect(patient.vault.shareRecords([first!.id], nobody, later)).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(patient.vault.readRecord("kjzl-not-an-id")).rejects.toMatchObject({ code: "INVALID_INPUT" });
      const missing = first!.id.slice(0, -4) + (first!.id.endsWith("aaaa") ? "bbbb" : "aaaa");
      await expect(patient.vault.readRecord(missing)).rejects.toMatchObject({ code: expect.stringMatching(/NOT_FOUND|INVALID_INPUT/) });
      await expect(doctor.vault.shareRecords([first!.id], stranger.vault.account, later)).rejects.toMatchObject({ code: "NOT_AUTHORIZED" });
    });

    it("writes no record when IPFS is unreachable, and names the endpoint", async () => {
      const before = (await patient.vault.listRecords()).length;
      const offline = new RecordVault({ did: patient.did, encryptionKey: patient.key, ceramicUrl, ipfsUrl: "http://127.0.0.1:9" });
      const error = (await offline.addRecord({ content: randomBytes(10), title: "never stored" }).catch((e: unknown) => e)) as Error;
      expect(error).toMatchObject({ code: "UNREACHABLE" });
      expect(error.message).toMatch(/127\.0\.0\.1:9.*npm run node:local/);
      expect((await patient.vault.listRecords()).length).toBe(before);
    });

    it("writes no record when IPFS refuses a block mid-way, and says so", async () => {
      const proxy = await startFaultyIpfsProxy(ipfsUrl, "block/put", 2);
      try {
        const before = (await patient.vault.listRecords()).length;
        const failing = new RecordVault({ did: patient.did, encryptionKey: patient.key, ceramicUrl, blobs: connectIpfs(proxy.url, { addAs: "blocks" }) });
        const bytes = randomBytes(5 * 1024 * 1024);
        const error = (await failing.addRecord({ content: bytes, size: bytes.length, title: "half sent" }).catch((e: unknown) => e)) as Error;
        expect(error).toMatchObject({ code: "REMOTE_ERROR" });
        expect(error.message).toMatch(/IPFS at http:\/\/127\.0\.0\.1:\d+ failed: add: .*injected failure/);
        expect(proxy.calls.get("pin/add")).toBeUndefined();
        expect((await patient.vault.listRecords()).length).toBe(before);
      } finally {
        await proxy.close();
      }
    });
  });

  it("never writes plaintext to the node's disk: neither a record nor the profile sealed into a grant", async () => {
    const marker = `OPENCHART-PLAINTEXT-MARKER-${randomBytes(8).toString("hex")}`;
    const content = Buffer.from(`patient history\n${marker}\n`.repeat(50));
    const added = await patient.vault.addRecord({ content, title: "marker check", mediaType: "text/plain" });
    // The patient's name and date of birth ride in the grant, sealed: the doctor reads them, the node's disk holds neither.
    const profile = { name: `Maria ${marker}`, birthDate: "1962-03-14" };
    const grant = await patient.vault.shareRecords([added.id], doctor.vault.account, new Date(Date.now() + 86_400_000), { profile });
    expect(grant.profile).toEqual(profile);
    // The patient's own copy, sealed by the vault (the key stays inside it): only the patient's vault opens it.
    const sealed = await patient.vault.sealProfile(profile);
    expect(await patient.vault.openProfile(sealed)).toEqual(profile);
    await expect(doctor.vault.openProfile(sealed)).rejects.toMatchObject({ code: "WRONG_KEY" });
    expect((await doctor.vault.listSharedWithMe()).find((g) => g.id === grant.id)?.profile).toEqual(profile);
    // A revocation reseals the payload and keeps the profile in it (the patient's own list still names it).
    await patient.vault.revokeGrant(grant.id);
    expect((await patient.vault.listMyGrants()).find((g) => g.id === grant.id)).toMatchObject({ revoked: true, profile });
    await expect(patient.vault.shareRecords([added.id], doctor.vault.account, new Date(Date.now() + 86_400_000), { profile: { name: " " } })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    const scan = scanForMarker(inject("nodeDataDir"), marker);
    expect(scan.hits).toEqual([]);
    // The scan did see the node's state: the blocks of every record stored so far (over 50 MiB).
    expect(scan.bytes).toBeGreaterThan(50 * 1024 * 1024);
  });
});
