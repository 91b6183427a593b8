// Two edits of one grant at once (two tabs of the patient, or an edit while a key rotation re-wraps the
// grant): each rewrites the whole sealed payload, so the one that lands second is refused (CONFLICT) and must
// read the grant again and apply itself on top, keeping both. Each race is made certain: the other tab's edit
// runs just before this tab's grant write leaves, against the real local node.
import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import type { DID } from "dids";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { EncryptionKeyPair } from "../crypto/encryption-key.js";
import { connectCeramic, type ComposeDocumentStore } from "../streams/compose-store.js";
import { privateKeyProvider } from "../streams/key-provider.js";
import { signInWithEthereum } from "../streams/session.js";
import { RecordVault } from "../vault.js";
import { generateEncryptionKey } from "./keys.js";
import { GRANT_EDIT_ATTEMPTS } from "./sharing.js";

const DAY = 86_400_000;

/**
 * Runs `meanwhile` before each of the store's next `times` grant writes is sent (the grant it wrote before
 * reading is then stale); returns how many ran. Other models' writes (a rotation's record) pass.
 */
function beforeGrantWrites(store: ComposeDocumentStore, meanwhile: (n: number) => Promise<unknown>, times = 1): () => number {
  const original = store.update.bind(store);
  let ran = 0;
  store.update = (async (...args: Parameters<ComposeDocumentStore["update"]>) => {
    if (args[0] === "SealedGrantV2" && ran < times) await meanwhile(++ran);
    return original(...args);
  }) as ComposeDocumentStore["update"];
  return () => ran;
}

describe("edits of one grant that race", () => {
  const ceramicUrl = inject("ceramicUrl");
  const ipfsUrl = inject("ipfsUrl");
  const consentTarget = { chainId: 31337, registry: `0x${"11".repeat(20)}` };
  let patientDid: DID;
  let patientKey: EncryptionKeyPair;
  let doctor: RecordVault;

  beforeAll(async () => {
    const [patient, grantee] = await Promise.all([0, 1].map(() => signInWithEthereum(privateKeyProvider(Wallet.createRandom().privateKey))));
    patientDid = patient!.did;
    patientKey = generateEncryptionKey();
    doctor = new RecordVault({ did: grantee!.did, encryptionKey: generateEncryptionKey(), ceramicUrl, ipfsUrl });
    await Promise.all([doctor.ensureEncryptionProfile(), tab().vault.ensureEncryptionProfile()]);
  });

  /** One tab of the patient: its own store (connection) and vault, the same account and key. */
  function tab(): { vault: RecordVault; store: ComposeDocumentStore } {
    const store = connectCeramic(ceramicUrl);
    return { vault: new RecordVault({ did: patientDid, encryptionKey: patientKey, ipfsUrl, consentTarget, store }), store };
  }

  async function sharedRecord(title: string) {
    const { vault } = tab();
    const record = await vault.addRecord({ content: randomBytes(200), title });
    const grant = await vault.shareRecords([record.id], doctor.account, new Date(Date.now() + 2 * DAY));
    return { record, grant };
  }

  it("an extension that loses to a rotation's re-wrap applies again: the grant runs later and opens the new key", async () => {
    const { record, grant } = await sharedRecord("MRI report");
    const a = tab();
    const later = new Date(Date.now() + 20 * DAY);
    const raced = beforeGrantWrites(a.store, () => tab().vault.rotateKey(record.id));
    const extended = await a.vault.extendGrant(grant.id, later);
    expect(raced()).toBe(1);
    expect(extended).toMatchObject({ id: grant.id, expiresAt: later.toISOString(), opening: grant.opening });
    const [shared] = (await doctor.listSharedWithMe()).filter((g) => g.id === grant.id);
    expect(shared).toMatchObject({ expiresAt: later.toISOString() });
    expect(shared?.records.map((r) => [r.id, r.keyVersion])).toEqual([[record.id, 2]]);
    expect((await doctor.readRecord(record.id)).record.keyVersion).toBe(2);
  });

  it("a rotation's re-wrap that loses to an extension applies again, keeping the extension", async () => {
    const { record, grant } = await sharedRecord("lab panel");
    const a = tab();
    const later = new Date(Date.now() + 9 * DAY);
    beforeGrantWrites(a.store, () => tab().vault.extendGrant(grant.id, later));
    expect(await a.vault.rotateKey(record.id)).toMatchObject({ keyVersion: 2, rewrappedGrants: [grant.id] });
    const [shared] = (await doctor.listSharedWithMe()).filter((g) => g.id === grant.id);
    expect(shared).toMatchObject({ expiresAt: later.toISOString() });
    expect(shared?.records.map((r) => r.keyVersion)).toEqual([2]);
  });

  it("another tab's extension that lands while records are added is carried into the replacing grant", async () => {
    const { record, grant } = await sharedRecord("allergy list");
    const added = await tab().vault.addRecord({ content: randomBytes(64), title: "vaccinations" });
    const a = tab();
    const later = new Date(Date.now() + 15 * DAY);
    // The replacement is created first, then the old grant revoked (its first grant update): the extension lands
    // just before that revocation, after the replacement was built with the old expiry.
    beforeGrantWrites(a.store, () => tab().vault.extendGrant(grant.id, later));
    const { replaced, grant: next } = await a.vault.changeGrantRecords(grant.id, [record.id, added.id]);
    expect(replaced).toMatchObject({ id: grant.id, revoked: true, expiresAt: later.toISOString() });
    expect(next).toMatchObject({ expiresAt: later.toISOString(), revoked: false });
    expect(new Set(next.recordIds)).toEqual(new Set([record.id, added.id]));
    const running = (await doctor.listSharedWithMe()).filter((g) => g.id === next.id || g.id === grant.id);
    expect(running.map((g) => [g.id, g.expiresAt])).toEqual([[next.id, later.toISOString()]]);
  });

  it("two tabs extend at once: the later time stands, and the earlier one is no error", async () => {
    const { grant } = await sharedRecord("x-ray");
    const [sooner, later] = [10, 30].map((days) => new Date(Date.now() + days * DAY)) as [Date, Date];
    const a = tab();
    beforeGrantWrites(a.store, () => tab().vault.extendGrant(grant.id, later));
    // This tab's extension is already surpassed when it applies again: nothing more is written.
    expect(await a.vault.extendGrant(grant.id, sooner)).toMatchObject({ id: grant.id, expiresAt: later.toISOString() });
    const b = tab();
    const latest = new Date(Date.now() + 40 * DAY);
    beforeGrantWrites(b.store, () => tab().vault.extendGrant(grant.id, new Date(Date.now() + 35 * DAY)));
    expect(await b.vault.extendGrant(grant.id, latest)).toMatchObject({ expiresAt: latest.toISOString() });
    expect((await doctor.listSharedWithMe()).find((g) => g.id === grant.id)?.expiresAt).toBe(latest.toISOString());
  });

  it("an extension that loses to a revocation stops there: the share stays revoked", async () => {
    const { grant } = await sharedRecord("blood panel");
    const a = tab();
    beforeGrantWrites(a.store, () => tab().vault.revokeGrant(grant.id));
    await expect(a.vault.extendGrant(grant.id, new Date(Date.now() + 20 * DAY))).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/ended/) });
    expect((await a.vault.listMyGrants()).find((g) => g.id === grant.id)).toMatchObject({ revoked: true, expiresAt: grant.expiresAt });
  });

  it("records changed while another tab revokes the share: the replacement is revoked too, and nothing runs", async () => {
    const { record, grant } = await sharedRecord("referral letter");
    const added = await tab().vault.addRecord({ content: randomBytes(64), title: "scan" });
    const a = tab();
    beforeGrantWrites(a.store, () => tab().vault.revokeGrant(grant.id));
    await expect(a.vault.changeGrantRecords(grant.id, [record.id, added.id])).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/ended while/) });
    const touched = (await a.vault.listMyGrants()).filter((g) => g.id === grant.id || g.recordIds.includes(added.id));
    expect(touched.map((g) => g.revoked)).toEqual([true, true]);
    expect((await doctor.listSharedWithMe()).filter((g) => g.records.some((r) => r.id === record.id || r.id === added.id))).toEqual([]);
  });

  it("records changed while the old grant keeps changing: CONFLICT after every try, and the replacement is taken back", async () => {
    const { record, grant } = await sharedRecord("echo report");
    const added = await tab().vault.addRecord({ content: randomBytes(64), title: "ECG" });
    const a = tab();
    const other = tab().vault;
    const now = Date.now();
    beforeGrantWrites(a.store, (n) => other.extendGrant(grant.id, new Date(now + (10 + n) * DAY)), GRANT_EDIT_ATTEMPTS);
    await expect(a.vault.changeGrantRecords(grant.id, [record.id, added.id])).rejects.toMatchObject({ code: "CONFLICT" });
    const running = (await a.vault.listMyGrants()).filter((g) => (g.id === grant.id || g.recordIds.includes(added.id)) && !g.revoked);
    expect(running.map((g) => g.id)).toEqual([grant.id]);
  });

  it("an edit that loses every try stays CONFLICT, and the other tab's edits stand", async () => {
    const { grant } = await sharedRecord("discharge letter");
    const a = tab();
    const other = tab().vault;
    const now = Date.now();
    const times = (n: number) => new Date(now + (10 + n) * DAY);
    const raced = beforeGrantWrites(a.store, (n) => other.extendGrant(grant.id, times(n)), GRANT_EDIT_ATTEMPTS);
    await expect(a.vault.revokeGrant(grant.id)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(raced()).toBe(GRANT_EDIT_ATTEMPTS);
    expect((await a.vault.listMyGrants()).find((g) => g.id === grant.id)).toMatchObject({ revoked: false, expiresAt: times(GRANT_EDIT_ATTEMPTS).toISOString() });
  });
});
