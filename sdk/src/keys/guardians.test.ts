// Guardian shares with real keys: a 2-of-3 and a 3-of-5 split of a real master, sealed to real X25519 keys,
// re-wrapped by each guardian to a new wallet's key, combined. Every bad input is refused with its code,
// and fewer than k real shares rebuild nothing of the master.
import { describe, expect, it } from "vitest";
import { combine } from "shamir-secret-sharing";
import { base64urlToBytes } from "../auth/base64url.js";
import { openAsAuthor, openAsRecipient, type StealthSealed } from "../crypto/stealth.js";
import { headerKeyOf, openJson, sealJson } from "../crypto/sealed-json.js";
import { generateEncryptionKey } from "../records/keys.js";
import { openGuardianShare, parseGuardianShare, recoverMaster, rewrapShareFor, splitToGuardians, type DeliveredShare, type GuardianShare } from "./guardians.js";
import { adoptEncryptionKey, encryptionKeyOfMaster, newMasterKey } from "./master-key.js";

const account = (n: number) => `did:pkh:eip155:31337:0x${n.toString(16).padStart(40, "0")}`;
const PATIENT = account(1);

function guardians(n: number) {
  return Array.from({ length: n }, (_, i) => ({ did: account(100 + i), key: generateEncryptionKey() }));
}

async function setUp(k: number, n: number, master = newMasterKey()) {
  const people = guardians(n);
  const set = await splitToGuardians(master, { patient: PATIENT, threshold: k, guardians: people.map((g) => ({ did: g.did, keyDid: g.key.did })) });
  const newKey = encryptionKeyOfMaster(newMasterKey());
  // Each guardian re-wraps the share it holds to the requester's new key, as it does when approving.
  const delivered: DeliveredShare[] = await Promise.all(
    people.map(async (g, i) => ({
      guardian: g.did,
      share: await rewrapShareFor(set.guardians[i]!.share, g.key, { patient: PATIENT, guardian: g.did, requesterKeyDid: newKey.did }),
    })),
  );
  return { master, people, set, newKey, delivered, keyDid: encryptionKeyOfMaster(master).did };
}

async function rawShares(k: number, n: number) {
  const { master, people, set } = await setUp(k, n);
  const opened: GuardianShare[] = await Promise.all(people.map((g, i) => openGuardianShare(set.guardians[i]!.share, g.key, { patient: PATIENT, guardian: g.did })));
  return { master, points: opened.map((s) => base64urlToBytes(s.share)!) };
}

describe("splitting the master among guardians", () => {
  it("seals one share to each guardian: only that guardian (and the patient) opens it", async () => {
    const { master, people, set } = await setUp(2, 3);
    expect(set).toMatchObject({ threshold: 2, setId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(set.guardians.map((g) => g.did)).toEqual(people.map((g) => g.did));
    const mine = await openGuardianShare(set.guardians[0]!.share, people[0]!.key, { patient: PATIENT, guardian: people[0]!.did });
    expect(mine).toMatchObject({ patient: PATIENT, guardian: people[0]!.did, threshold: 2, count: 3, scheme: "hkdf-v1", keyDid: encryptionKeyOfMaster(master).did });
    // Nothing of the master in the clear, in any share.
    const hex = Buffer.from(master.secret).toString("hex");
    for (const g of set.guardians) expect(g.share).not.toContain(hex);
    // Another guardian's key does not open it; the patient's own key does (as its author).
    await expect(openGuardianShare(set.guardians[0]!.share, people[1]!.key, { patient: PATIENT, guardian: people[1]!.did })).rejects.toMatchObject({ code: "WRONG_KEY" });
    const patientKey = encryptionKeyOfMaster(master);
    expect(parseGuardianShare(await openAsAuthor(JSON.parse(set.guardians[2]!.share) as StealthSealed, patientKey.secretKey), "own").guardian).toBe(people[2]!.did);
  });

  it("rebuilds the master from any k of the n re-wrapped shares, for a new and for an adopted master", async () => {
    const fresh = await setUp(2, 3);
    for (const pair of [[0, 1], [1, 2], [2, 0]]) {
      const chosen = pair.map((i) => fresh.delivered[i]!);
      expect(await recoverMaster(chosen, fresh.newKey, { patient: PATIENT, keyDid: fresh.keyDid })).toEqual(fresh.master);
    }
    const adopted = adoptEncryptionKey(generateEncryptionKey());
    const old = await setUp(3, 5, adopted);
    const master = await recoverMaster(old.delivered.slice(1, 4), old.newKey, { patient: PATIENT });
    expect(master).toEqual(adopted);
    // What the recovered master opens: the headers the old account sealed.
    const header = await sealJson({ title: "MRI report" }, headerKeyOf(encryptionKeyOfMaster(adopted).secretKey));
    expect(await openJson(header, headerKeyOf(encryptionKeyOfMaster(master).secretKey))).toEqual({ title: "MRI report" });
  });

  it("refuses bad picks with a sentence", async () => {
    const master = newMasterKey();
    const [a, b] = guardians(2);
    const pick = [a!, b!].map((g) => ({ did: g.did, keyDid: g.key.did }));
    await expect(splitToGuardians(master, { patient: PATIENT, threshold: 1, guardians: pick })).rejects.toThrow(/threshold must be a whole number from 2/);
    await expect(splitToGuardians(master, { patient: PATIENT, threshold: 3, guardians: pick })).rejects.toThrow(/threshold/);
    await expect(splitToGuardians(master, { patient: PATIENT, threshold: 2, guardians: [pick[0]!] })).rejects.toThrow(/pick from 2 to 10 guardians/);
    await expect(splitToGuardians(master, { patient: PATIENT, threshold: 2, guardians: [pick[0]!, pick[0]!] })).rejects.toThrow(/named twice/);
    await expect(splitToGuardians(master, { patient: PATIENT, threshold: 2, guardians: [pick[0]!, { did: PATIENT, keyDid: b!.key.did }] })).rejects.toThrow(/your own guardian/);
    await expect(splitToGuardians(master, { patient: PATIENT, threshold: 2, guardians: [pick[0]!, { did: b!.did, keyDid: "did:key:nope" }] })).rejects.toThrow(/did:key/);
  });
});

describe("recovering: bad input is refused, nothing is returned", () => {
  it("a share from the wrong guardian: delivered under another guardian's name", async () => {
    const { delivered, newKey } = await setUp(2, 3);
    const swapped = [{ guardian: delivered[1]!.guardian, share: delivered[0]!.share }, delivered[2]!];
    await expect(recoverMaster(swapped, newKey, { patient: PATIENT })).rejects.toMatchObject({ code: "WRONG_GUARDIAN", message: expect.stringMatching(/can only pass on its own share/) });
  });

  it("a share of another account's key, or of another guardian set", async () => {
    const one = await setUp(2, 3);
    const other = await setUp(2, 3);
    // Re-wrapped for this requester too, but a share of another split (another set of the same patient's name).
    const foreign = await rewrapShareFor(other.set.guardians[1]!.share, other.people[1]!.key, { patient: PATIENT, guardian: other.people[1]!.did, requesterKeyDid: one.newKey.did });
    await expect(recoverMaster([one.delivered[0]!, { guardian: other.people[1]!.did, share: foreign }], one.newKey, { patient: PATIENT })).rejects.toMatchObject({
      code: "WRONG_GUARDIAN",
      message: expect.stringMatching(/another guardian set/),
    });
    await expect(recoverMaster(one.delivered.slice(0, 2), one.newKey, { patient: account(2) })).rejects.toMatchObject({ code: "WRONG_GUARDIAN", message: expect.stringMatching(/not of/) });
  });

  it("a duplicate share: the same guardian's share twice does not make two", async () => {
    const { delivered, newKey } = await setUp(2, 3);
    await expect(recoverMaster([delivered[0]!, delivered[0]!], newKey, { patient: PATIENT })).rejects.toMatchObject({ code: "DUPLICATE_SHARE", message: expect.stringMatching(/given twice/) });
  });

  it("fewer than k shares", async () => {
    const { delivered, newKey } = await setUp(3, 5);
    await expect(recoverMaster(delivered.slice(0, 2), newKey, { patient: PATIENT })).rejects.toMatchObject({ code: "NOT_ENOUGH_SHARES", message: "2 guardian shares given, 3 needed: fewer than the threshold open nothing" });
    await expect(recoverMaster([], newKey, { patient: PATIENT })).rejects.toMatchObject({ code: "NOT_ENOUGH_SHARES" });
  });

  it("shares sealed to another key, and shares that do not rebuild the account's published key", async () => {
    const { delivered, newKey, keyDid } = await setUp(2, 3);
    await expect(recoverMaster(delivered.slice(0, 2), generateEncryptionKey(), { patient: PATIENT })).rejects.toMatchObject({ code: "WRONG_KEY", message: expect.stringMatching(/not sealed to your encryption key/) });
    await expect(recoverMaster(delivered.slice(0, 2), newKey, { patient: PATIENT, keyDid: generateEncryptionKey().did })).rejects.toMatchObject({ code: "WRONG_KEY" });
    expect((await recoverMaster(delivered.slice(0, 2), newKey, { patient: PATIENT, keyDid })).scheme).toBe("hkdf-v1");
  });

  it("a guardian re-wraps only a share that is its own, for this patient", async () => {
    const { set, people, newKey } = await setUp(2, 3);
    await expect(rewrapShareFor(set.guardians[0]!.share, people[0]!.key, { patient: account(2), guardian: people[0]!.did, requesterKeyDid: newKey.did })).rejects.toMatchObject({ code: "WRONG_GUARDIAN" });
    await expect(rewrapShareFor(set.guardians[0]!.share, people[1]!.key, { patient: PATIENT, guardian: people[1]!.did, requesterKeyDid: newKey.did })).rejects.toMatchObject({ code: "WRONG_KEY" });
    await expect(rewrapShareFor(set.guardians[0]!.share, people[0]!.key, { patient: PATIENT, guardian: people[0]!.did, requesterKeyDid: "did:key:z123" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

describe("a share alone, or k-1 shares, open nothing (real shares)", () => {
  it("a single share of a 2-of-3 split is refused, and as raw bytes it is not the master", async () => {
    const { master, points } = await rawShares(2, 3);
    await expect(combine([points[0]!])).rejects.toThrow(/at least 2/);
    // The share's 32 bytes are a uniformly random point, unrelated to the master's bytes.
    expect(Buffer.from(points[0]!.subarray(0, 32)).equals(master.secret)).toBe(false);
  });

  it("k-1 real shares of a 3-of-5 split rebuild another secret, whose key opens nothing of the patient's", async () => {
    const { master, points } = await rawShares(3, 5);
    const wrong = await combine(points.slice(0, 2));
    expect(Buffer.from(wrong).equals(master.secret)).toBe(false);
    const right = await combine(points.slice(2, 5));
    expect(Buffer.from(right).equals(master.secret)).toBe(true);
    const header = await sealJson({ title: "HIV test" }, headerKeyOf(encryptionKeyOfMaster(master).secretKey));
    const guessed = encryptionKeyOfMaster({ scheme: master.scheme, secret: wrong });
    await expect(openJson(header, headerKeyOf(guessed.secretKey))).rejects.toMatchObject({ code: "WRONG_KEY" });
    // No pair gives the master: two guardians together learn nothing that opens it. (Pairs may agree with each
    // other: a pair's line through a quadratic meets x=0 at a0 - a2*xi*xj, so two pairs whose random x-coordinates
    // have equal products in GF(256) rebuild the same wrong secret, which a fresh-clone run once saw.)
    const pairs = new Set<string>();
    for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) pairs.add(Buffer.from(await combine([points[i]!, points[j]!])).toString("hex"));
    expect(pairs.size).toBeGreaterThan(1);
    expect(pairs.has(Buffer.from(master.secret).toString("hex"))).toBe(false);
  });

  it("a guardian who opens its own share sees no key of the patient's", async () => {
    const { set, people, master } = await setUp(2, 3);
    const sealed = JSON.parse(set.guardians[0]!.share) as StealthSealed;
    const opened = (await openAsRecipient<GuardianShare>(sealed, people[0]!.key.secretKey))!;
    expect(opened.share).not.toContain(Buffer.from(master.secret).toString("base64url"));
    expect(JSON.stringify(opened)).not.toContain(Buffer.from(encryptionKeyOfMaster(master).secretKey).toString("hex"));
  });
});
