// The record index moving to a recovered account's new DID, on the real local node: same headers,
// commitments, receipts and ciphertexts; old grants keep working for their grantee; the old account's
// consents remain revocable by the new DID (the revoker key derives from the master).
import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { consentKeyOf } from "../consent.js";
import { encryptionKeyOfMaster, newMasterKey } from "../keys/master-key.js";
import { connectCeramic } from "../streams/compose-store.js";
import { privateKeyProvider } from "../streams/key-provider.js";
import { signInWithEthereum } from "../streams/session.js";
import { RecordVault } from "../vault.js";
import { generateEncryptionKey } from "./keys.js";
import { sealRecordHeader } from "./record-header.js";

const ceramicUrl = inject("ceramicUrl");
const ipfsUrl = inject("ipfsUrl");
const target = { chainId: 31337, registry: `0x${"12".repeat(20)}` };

async function vaultOf(key: ReturnType<typeof encryptionKeyOfMaster>, session?: Awaited<ReturnType<typeof signInWithEthereum>>) {
  const { did } = session ?? (await signInWithEthereum(privateKeyProvider(Wallet.createRandom().privateKey)));
  const vault = new RecordVault({ did, encryptionKey: key, ceramicUrl, ipfsUrl, consentTarget: target });
  await vault.ensureEncryptionProfile();
  return vault;
}

describe("adopting an old account's records after recovery", () => {
  const master = newMasterKey();
  let old: RecordVault;
  let recovered: RecordVault;
  let doctor: RecordVault;

  beforeAll(async () => {
    [old, recovered, doctor] = await Promise.all([
      vaultOf(encryptionKeyOfMaster(master)),
      // The new wallet's vault, holding the master its guardians rebuilt.
      vaultOf(encryptionKeyOfMaster({ ...master })),
      vaultOf(encryptionKeyOfMaster(newMasterKey())),
    ]);
  });

  it("copies every record with its header, commitment and key version; the new DID opens the old ciphertexts", async () => {
    const bytes = [randomBytes(3000), randomBytes(10)];
    const added = await Promise.all(bytes.map((content, i) => old.addRecord({ content, title: `old record ${i}`, mediaType: "text/plain" })));
    const rotated = await old.rotateKey(added[1]!.id);
    const grant = await old.shareRecords([added[0]!.id], doctor.account, new Date(Date.now() + 86_400_000));

    const moved = await recovered.adoptRecordsOf(old.account);
    expect(moved.unreadable).toEqual([]);
    expect(moved.alreadyHere).toEqual([]);
    expect(moved.copied.map((c) => c.from).sort()).toEqual(added.map((a) => a.id).sort());

    const mine = await recovered.listRecords();
    expect(mine.every((r) => r.owner === recovered.account)).toBe(true);
    const byCommitment = new Map(mine.map((r) => [r.commitment, r]));
    const first = byCommitment.get(added[0]!.commitment)!;
    expect(first).toMatchObject({ title: "old record 0", cid: added[0]!.cid, size: 3000, keyVersion: 1 });
    expect(byCommitment.get(rotated.commitment)).toMatchObject({ cid: rotated.cid, keyVersion: 2 });
    // The same IPFS bytes, opened by the new DID under the copied header.
    expect(Buffer.from((await recovered.readRecord(first.id)).bytes).equals(bytes[0]!)).toBe(true);
    const store = connectCeramic(ceramicUrl);
    const [original, copy] = await Promise.all([store.get("SealedRecord", added[0]!.id), store.get("SealedRecord", first.id)]);
    expect(copy!.content).toEqual(original!.content);

    // The old grant still opens the old document for its grantee; the patient's consent carries over.
    expect(Buffer.from((await doctor.readRecord(added[0]!.id)).bytes).equals(bytes[0]!)).toBe(true);
    const [oldGrant] = await recovered.listGrantsOf(old.account);
    expect(oldGrant).toMatchObject({ id: grant.id, patient: old.account, grantee: doctor.account });
    expect(consentKeyOf(encryptionKeyOfMaster(master).secretKey, oldGrant!.opening!.salt).address.toLowerCase()).toBe(oldGrant!.opening!.revoker.toLowerCase());
    await expect(recovered.revokeGrant(grant.id)).rejects.toMatchObject({ code: "NOT_AUTHORIZED" });

    // Again: nothing is copied twice.
    const again = await recovered.adoptRecordsOf(old.account);
    expect(again.copied).toEqual([]);
    expect(again.alreadyHere.sort()).toEqual(added.map((a) => a.id).sort());
  });

  it("reports a header the recovered key does not open, and copies nothing of it; a stranger's key opens none", async () => {
    const session = await signInWithEthereum(privateKeyProvider(Wallet.createRandom().privateKey));
    const other = await vaultOf(encryptionKeyOfMaster(master), session);
    await other.addRecord({ content: randomBytes(5), title: "readable" });
    // A document the old DID wrote under another key (say, before it adopted this master).
    const store = connectCeramic(ceramicUrl);
    store.setDID(session.did);
    const foreign = await store.create("SealedRecord", {
      header: await sealRecordHeader(
        { cid: "bafkqaaa", title: "x", mediaType: "text/plain", size: 1, createdAt: new Date().toISOString(), contentKey: "00".repeat(32), salt: `0x${"01".repeat(32)}`, sha256: `0x${"02".repeat(32)}` },
        generateEncryptionKey().secretKey,
      ),
      keyVersion: 1,
      commitment: `0x${"03".repeat(32)}`,
    });
    const fresh = await vaultOf(encryptionKeyOfMaster(master));
    const moved = await fresh.adoptRecordsOf(other.account);
    expect(moved.copied).toHaveLength(1);
    expect(moved.unreadable.map((u) => [u.id, (u.error as { code?: string }).code])).toEqual([[foreign.id, "WRONG_KEY"]]);

    const stranger = await vaultOf(encryptionKeyOfMaster(newMasterKey()));
    const none = await stranger.adoptRecordsOf(other.account);
    expect(none.copied).toEqual([]);
    expect(none.unreadable).toHaveLength(2);
    expect(await stranger.listRecords()).toEqual([]);
    await expect(stranger.adoptRecordsOf(stranger.account)).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});
