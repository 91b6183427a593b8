// A grant of the patient's that this device's key cannot open, on the real local node: the patient's grant
// lists pass over it and say so, and a key rotation still re-wraps the running grants it can open.
import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { connectIpfs } from "../ipfs.js";
import { connectCeramic } from "../streams/compose-store.js";
import { privateKeyProvider } from "../streams/key-provider.js";
import { signInWithEthereum } from "../streams/session.js";
import { RecordVault } from "../vault.js";
import type { UnreadableDocument, VaultContext } from "./context.js";
import { generateEncryptionKey } from "./keys.js";
import { listMyGrants, openOwnGrant, sealGrant } from "./sharing.js";

const DAY = 86_400_000;

describe("a grant this key cannot open (real node)", () => {
  const ceramicUrl = inject("ceramicUrl");
  const ipfsUrl = inject("ipfsUrl");
  const blobs = connectIpfs(ipfsUrl);
  let patient: RecordVault;
  let doctor: RecordVault;
  /** The patient's own store and key: writes documents under the patient's DID as the vault would. */
  let patientContext: VaultContext;
  let recordId: string;
  let readableId: string;
  let foreignId: string;
  let alteredId: string;

  /** The bytes of an IPFS payload, as text. */
  async function payloadText(cid: string): Promise<string> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of blobs.cat(cid)) chunks.push(chunk);
    return Buffer.concat(chunks).toString("utf8");
  }

  beforeAll(async () => {
    const [patientSession, doctorSession, otherSession] = await Promise.all(
      [0, 1, 2].map(() => signInWithEthereum(privateKeyProvider(Wallet.createRandom().privateKey))),
    );
    const patientKey = generateEncryptionKey();
    patient = new RecordVault({ did: patientSession!.did, encryptionKey: patientKey, ceramicUrl, ipfsUrl });
    doctor = new RecordVault({ did: doctorSession!.did, encryptionKey: generateEncryptionKey(), ceramicUrl, ipfsUrl });
    // The bad grants go to a third account, so the doctor's own reads below see only the readable grant.
    const other = new RecordVault({ did: otherSession!.did, encryptionKey: generateEncryptionKey(), ceramicUrl, ipfsUrl });
    await Promise.all([patient, doctor, other].map((v) => v.ensureEncryptionProfile()));
    const store = connectCeramic(ceramicUrl);
    store.setDID(patientSession!.did);
    patientContext = { store, blobs, encryptionKey: patientKey };

    recordId = (await patient.addRecord({ content: randomBytes(2_000), title: "X-ray" })).id;
    const until = new Date(Date.now() + 7 * DAY);
    readableId = (await patient.shareRecords([recordId], doctor.account, until)).id;
    const toOther = await patient.shareRecords([recordId], other.account, until);
    const document = (await store.get("SealedGrantV2", toOther.id))!;
    const payload = await openOwnGrant(patientContext, document);

    // The same running share, sealed by another author key (an older device's, say), under the patient's DID.
    const foreignKey = { ...patientContext, encryptionKey: generateEncryptionKey() };
    foreignId = (await store.create("SealedGrantV2", await sealGrant(foreignKey, payload))).id;

    // The same share with one character of its ciphertext changed: altered after it was written.
    const sealed = JSON.parse(await payloadText(document.content.payload)) as { c: string };
    const at = Math.floor(sealed.c.length / 2);
    const altered = { ...sealed, c: sealed.c.slice(0, at) + (sealed.c[at] === "A" ? "B" : "A") + sealed.c.slice(at + 1) };
    const { cid } = await blobs.add(new TextEncoder().encode(JSON.stringify(altered)));
    alteredId = (await store.create("SealedGrantV2", { ...document.content, payload: cid })).id;
    // The original share to `other` is revoked: what remains running to them cannot be opened.
    await patient.revokeGrant(toOther.id);
  });

  it("lists the grants it opens and reports each one it cannot, by ID and with the reason", async () => {
    const unreadable: UnreadableDocument[] = [];
    const listed = await patient.listMyGrants((grant) => unreadable.push(grant));
    expect(listed.map((g) => g.id)).toContain(readableId);
    expect(listed.map((g) => g.id)).not.toContain(foreignId);
    expect(listed.map((g) => g.id)).not.toContain(alteredId);
    expect(listed).toHaveLength(2);
    const reasons = Object.fromEntries(unreadable.map((u) => [u.id, u.error.code]));
    expect(reasons).toEqual({ [foreignId]: "WRONG_KEY", [alteredId]: "TAMPERED" });

    // The same for the grants of an account named explicitly (after a guardian recovery), and without a callback.
    const ofAccount: string[] = [];
    expect((await patient.listGrantsOf(patient.account, (g) => ofAccount.push(g.id))).map((g) => g.id).sort()).toEqual(listed.map((g) => g.id).sort());
    expect(ofAccount.sort()).toEqual([foreignId, alteredId].sort());
    expect(await patient.listMyGrants()).toHaveLength(2);
  });

  it("still fails as a whole when IPFS does not answer: that says nothing about any one grant", async () => {
    const dead: VaultContext = { ...patientContext, blobs: connectIpfs("http://127.0.0.1:9") };
    const unreadable: string[] = [];
    await expect(listMyGrants(dead, (g) => unreadable.push(g.id))).rejects.toMatchObject({ code: "UNREACHABLE" });
    expect(unreadable).toEqual([]);
  });

  it("a rotation re-wraps the running grant it opens, reports the ones it cannot, and succeeds", async () => {
    const rotated = await patient.rotateKey(recordId);
    expect(rotated.keyVersion).toBe(2);
    expect(rotated.rewrappedGrants).toEqual([readableId]);
    expect(rotated.unreadableGrants.map((g) => g.id).sort()).toEqual([foreignId, alteredId].sort());
    const opened = await doctor.readRecord(recordId);
    expect(opened.record).toMatchObject({ keyVersion: 2, cid: rotated.cid });
    expect((await patient.listMyGrants()).find((g) => g.id === readableId)?.recordIds).toEqual([recordId]);
  });
});
