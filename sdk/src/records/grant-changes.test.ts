import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { AccessLogEntry } from "../api/access-log.js";
import { mailboxOfToken } from "../api/access-log.js";
import { privateKeyProvider } from "../streams/key-provider.js";
import { signInWithEthereum } from "../streams/session.js";
import { RecordVault } from "../vault.js";
import { generateEncryptionKey } from "./keys.js";

const DAY = 86_400_000;

describe("changes to running shares: rotation, extension, other records, access reports", () => {
  const ceramicUrl = inject("ceramicUrl");
  const ipfsUrl = inject("ipfsUrl");
  let patient: RecordVault;
  let active: RecordVault;
  let revoked: RecordVault;

  beforeAll(async () => {
    const sessions = await Promise.all([0, 1, 2].map(() => signInWithEthereum(privateKeyProvider(Wallet.createRandom().privateKey))));
    // Shares carry consent openings (no chain is needed to write them: the consent is relayed separately).
    const consentTarget = { chainId: 31337, registry: `0x${"11".repeat(20)}` };
    const vaults = sessions.map((s) => new RecordVault({ did: s.did, encryptionKey: generateEncryptionKey(), ceramicUrl, ipfsUrl, consentTarget }));
    await Promise.all(vaults.map((v) => v.ensureEncryptionProfile()));
    [patient, active, revoked] = vaults as [RecordVault, RecordVault, RecordVault];
  });

  it("a rotation re-wraps the new key to the running grantee only: the revoked one cannot open the new version", async () => {
    const bytes = randomBytes(50_000);
    const record = await patient.addRecord({ content: bytes, title: "MRI report" });
    const kept = await patient.shareRecords([record.id], active.account, new Date(Date.now() + 7 * DAY));
    const ended = await patient.shareRecords([record.id], revoked.account, new Date(Date.now() + 7 * DAY));
    expect(Buffer.from((await revoked.readRecord(record.id)).bytes).equals(bytes)).toBe(true);
    await patient.revokeGrant(ended.id);

    const rotated = await patient.rotateKey(record.id);
    expect(rotated.keyVersion).toBe(2);
    expect(rotated.rewrappedGrants).toEqual([kept.id]);
    const opened = await active.readRecord(record.id);
    expect(opened.record).toMatchObject({ keyVersion: 2, cid: rotated.cid });
    expect(Buffer.from(opened.bytes).equals(bytes)).toBe(true);
    await expect(revoked.readRecord(record.id)).rejects.toMatchObject({ code: "NOT_AUTHORIZED" });
    // The running grant still lists the record (the list stays true), at the new key.
    const [shared] = await active.listSharedWithMe();
    expect(shared?.records.map((r) => [r.id, r.keyVersion])).toEqual([[record.id, 2]]);
    // Run again, nothing is left to re-wrap; and only the owner may ask.
    expect(await patient.rewrapActiveGrants(record.id)).toEqual([]);
    await expect(active.rewrapActiveGrants(record.id)).rejects.toMatchObject({ code: "NOT_AUTHORIZED" });
  });

  it("extends a running grant to a later time only, and never an ended one or another patient's", async () => {
    const record = await patient.addRecord({ content: randomBytes(100), title: "allergy list" });
    const grant = await patient.shareRecords([record.id], active.account, new Date(Date.now() + 2 * DAY));
    const later = new Date(Date.now() + 30 * DAY);
    const extended = await patient.extendGrant(grant.id, later);
    expect(extended).toMatchObject({ id: grant.id, expiresAt: later.toISOString(), opening: grant.opening, mailbox: grant.mailbox });
    expect(grant.opening).toBeDefined();
    expect((await active.listSharedWithMe()).find((g) => g.id === grant.id)?.expiresAt).toBe(later.toISOString());
    await expect(patient.extendGrant(grant.id, new Date(Date.now() + DAY))).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/later/) });
    await expect(patient.extendGrant(grant.id, new Date(Date.now() - DAY))).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(active.extendGrant(grant.id, new Date(Date.now() + 60 * DAY))).rejects.toMatchObject({ code: "NOT_AUTHORIZED" });
    await patient.revokeGrant(grant.id);
    await expect(patient.extendGrant(grant.id, new Date(Date.now() + 60 * DAY))).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/ended/) });
  });

  it("changes a grant's records: a new grant with a fresh consent opening replaces the old, which is revoked", async () => {
    const [a, b] = await Promise.all(["lab A", "lab B"].map((title) => patient.addRecord({ content: randomBytes(64), title })));
    const grant = await patient.shareRecords([a!.id], active.account, new Date(Date.now() + 5 * DAY));
    const { replaced, grant: next } = await patient.changeGrantRecords(grant.id, [a!.id, b!.id]);
    expect(replaced).toMatchObject({ id: grant.id, revoked: true });
    expect(next).toMatchObject({ grantee: active.account, expiresAt: grant.expiresAt, revoked: false });
    // A consent commits to its records: the new grant has its own opening.
    expect(next.opening?.salt).not.toBe(grant.opening?.salt);
    expect(new Set(next.recordIds)).toEqual(new Set([a!.id, b!.id]));
    await active.readRecord(b!.id);
    // Removing a: the doctor keeps b, and is refused a (no running grant holds it).
    const { grant: onlyB } = await patient.changeGrantRecords(next.id, [b!.id]);
    expect(onlyB.recordIds).toEqual([b!.id]);
    await active.readRecord(b!.id);
    await expect(active.readRecord(a!.id)).rejects.toMatchObject({ code: "NOT_AUTHORIZED" });
    await expect(patient.changeGrantRecords(onlyB.id, [b!.id])).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/already/) });
    await expect(patient.changeGrantRecords(onlyB.id, [])).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(patient.changeGrantRecords(next.id, [a!.id])).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/ended/) });
  });

  it("a doctor's access report opens for the patient only, and only under the reporter the API verified", async () => {
    const record = await patient.addRecord({ content: randomBytes(64), title: "Blood panel" });
    const grant = await patient.shareRecords([record.id], active.account, new Date(Date.now() + DAY));
    const token = patient.accessLogToken();
    // The grant carries the mailbox the patient's token opens; no one else derives the token.
    expect(grant.mailbox).toBe(mailboxOfToken(token));
    expect(active.accessLogToken()).not.toBe(token);
    const [shared] = (await active.listSharedWithMe()).filter((g) => g.id === grant.id);
    const sealed = await active.sealAccessReport(shared!, { id: record.id, title: "Blood panel", keyVersion: 1 });
    expect(sealed.mailbox).toBe(grant.mailbox);
    expect(sealed.report.sealed).not.toContain("Blood panel");
    const entry = (seq: number, by: string): AccessLogEntry => ({ seq, at: 1_000 + seq, by, report: sealed.report });
    const events = await patient.openAccessLog([entry(1, active.account), entry(2, revoked.account)]);
    // Entry 2 claims another sender than the sealed reporter: left out.
    expect(events).toEqual([{ seq: 1, at: 1_001, by: active.account, recordId: record.id, title: "Blood panel", keyVersion: 1 }]);
    expect(await revoked.openAccessLog([entry(1, active.account)])).toEqual([]);
    await expect(active.sealAccessReport({ patient: patient.account }, { id: record.id, title: "x", keyVersion: 1 })).rejects.toMatchObject({ code: "UNSUPPORTED_FORMAT" });
  });
});
