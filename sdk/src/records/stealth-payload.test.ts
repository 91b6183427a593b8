import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { sha256 } from "multiformats/hashes/sha2";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { sealToRecipient } from "../crypto/index.js";
import { connectIpfs } from "../ipfs.js";
import { connectCeramic } from "../streams/compose-store.js";
import { privateKeyProvider } from "../streams/key-provider.js";
import { didFromSeed, signInWithEthereum } from "../streams/session.js";
import { RecordVault } from "../vault.js";
import type { VaultContext } from "./context.js";
import { generateEncryptionKey } from "./keys.js";
import { listNotes } from "./notes.js";
import { listSharedWithMe } from "./shared-with-me.js";
import { listMyGrants } from "./sharing.js";
import { publishStealth } from "./stealth-payload.js";

// Grants and notes keep their sealed payload in IPFS and only its CID in public: what a scan reads stays small,
// and a document whose payload cannot be had is passed over by a recipient, never trusted or waited on forever.
describe("stealth payloads in IPFS (real node)", () => {
  const ceramicUrl = inject("ceramicUrl");
  const ipfsUrl = inject("ipfsUrl");
  const blobs = connectIpfs(ipfsUrl);
  let patient: RecordVault;
  let doctor: RecordVault;
  let doctorContext: VaultContext;
  let recordId: string;

  beforeAll(async () => {
    const [patientSession, doctorSession] = await Promise.all(
      [Wallet.createRandom(), Wallet.createRandom()].map((w) => signInWithEthereum(privateKeyProvider(w.privateKey))),
    );
    const doctorKey = generateEncryptionKey();
    patient = new RecordVault({ did: patientSession!.did, encryptionKey: generateEncryptionKey(), ceramicUrl, ipfsUrl });
    doctor = new RecordVault({ did: doctorSession!.did, encryptionKey: doctorKey, ceramicUrl, ipfsUrl });
    await Promise.all([patient.ensureEncryptionProfile(), doctor.ensureEncryptionProfile()]);
    const store = connectCeramic(ceramicUrl);
    store.setDID(doctorSession!.did);
    // The doctor's own context, waiting 1 s for a payload instead of 10: the misses below are expected.
    doctorContext = { store, blobs, encryptionKey: doctorKey, payloadTimeoutMs: 1_000 };
    recordId = (await patient.addRecord({ content: randomBytes(100), title: "shared" })).id;
  });

  /** The CID of some bytes that were never added to IPFS. */
  async function cidOfNothing(): Promise<string> {
    return CID.create(1, raw.code, await sha256.digest(randomBytes(64))).toString();
  }

  /** Publishes a document whose header is sealed to the doctor but whose payload is `payload` (a CID). */
  async function headerToDoctorWith(payload: string): Promise<string> {
    const writer = connectCeramic(ceramicUrl);
    writer.setDID(await didFromSeed(randomBytes(32)));
    const sealed = await sealToRecipient({ not: "a grant" }, doctorContext.encryptionKey.did, randomBytes(32));
    return (await writer.create("SealedGrantV2", { ephemeralKey: sealed.ephemeralKey, viewTag: sealed.viewTag, payload })).id;
  }

  it("keeps a grant's padded payload in IPFS and only its CID, a one-time key and a view tag in public", async () => {
    const grant = await patient.shareRecords([recordId], doctor.account, new Date(Date.now() + 86_400_000));
    const document = (await connectCeramic(ceramicUrl).get("SealedGrantV2", grant.id))!;
    expect(Object.keys(document.content).sort()).toEqual(["ephemeralKey", "payload", "viewTag"]);
    expect(JSON.stringify(document.content).length).toBeLessThan(200);
    const chunks: Uint8Array[] = [];
    for await (const chunk of blobs.cat(document.content.payload)) chunks.push(chunk);
    const payload = Buffer.concat(chunks).toString("utf8");
    // Padded to 8 KiB before sealing: one size for every grant of a few records.
    expect(payload.length).toBeGreaterThan(8192);
    expect(Object.keys(JSON.parse(payload) as object).sort()).toEqual(["a", "c", "r"]);
    expect((await listSharedWithMe(doctorContext)).map((g) => g.id)).toContain(grant.id);
  });

  it("passes over, quietly, a document whose view tag is the doctor's but whose payload is nowhere, too large, or not theirs", async () => {
    const grant = await patient.shareRecords([recordId], doctor.account, new Date(Date.now() + 86_400_000));
    const mine = (await connectCeramic(ceramicUrl).get("SealedGrantV2", grant.id))!;
    // A CID whose bytes were never added: the IPFS node looks for them until the reader's time limit.
    const nowhere = await cidOfNothing();
    const tooLarge = (await blobs.add(randomBytes(200_000))).cid;
    // The real grant's payload behind someone else's header: its key is wrapped to another ephemeral key.
    const ids = await Promise.all([nowhere, tooLarge, mine.content.payload].map(headerToDoctorWith));
    const started = Date.now();
    const found = (await listSharedWithMe(doctorContext)).map((g) => g.id);
    expect(found).toContain(grant.id);
    for (const id of ids) expect(found).not.toContain(id);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("tells its author, by name, that a payload of theirs is missing, without failing the list", async () => {
    const writer = connectCeramic(ceramicUrl);
    const author = await didFromSeed(randomBytes(32));
    writer.setDID(author);
    const key = generateEncryptionKey();
    const sealed = await sealToRecipient({ v: 1 }, doctorContext.encryptionKey.did, key.secretKey);
    const document = await writer.create("SealedGrantV2", { ephemeralKey: sealed.ephemeralKey, viewTag: sealed.viewTag, payload: await cidOfNothing() });
    const context: VaultContext = { store: writer, blobs, encryptionKey: key, payloadTimeoutMs: 1_000 };
    const unreadable: { id: string; code: string; message: string }[] = [];
    expect(await listMyGrants(context, ({ id, error }) => unreadable.push({ id, code: error.code, message: error.message }))).toEqual([]);
    expect(unreadable).toEqual([{ id: document.id, code: "NOT_FOUND", message: expect.stringContaining(document.id) }]);
  });

  it("refuses to write a payload over the limit, and names IPFS when it does not answer", async () => {
    const sealed = await sealToRecipient({ big: "x".repeat(20_000) }, doctorContext.encryptionKey.did, randomBytes(32));
    await expect(publishStealth({ blobs }, sealed, 10_000)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    const dead: VaultContext = { ...doctorContext, blobs: connectIpfs("http://127.0.0.1:9") };
    await headerToDoctorWith((await blobs.add(randomBytes(10))).cid);
    await patient.writeNote({ patient: doctor.account, text: "a note the doctor is the patient of" });
    await expect(listSharedWithMe(dead)).rejects.toMatchObject({ code: "UNREACHABLE" });
    await expect(listNotes(dead)).rejects.toMatchObject({ code: "UNREACHABLE" });
  });
});
