// Guardian recovery, the key side. A patient's master is split k-of-n with `shamir-secret-sharing` (an
// audited GF(256) implementation; each share is the 32 share bytes plus its x coordinate), and each share is
// sealed to one guardian's published X25519 key with the same stealth sealing grants use
// (`sealToRecipient`): no new cryptography here. The sealed share names its patient, guardian, set, threshold
// and the did:key the master stands for, so that:
// - a guardian, approving, re-wraps exactly the share it was given to the requester's new key;
// - the requester refuses a share delivered by the wrong guardian, a share of another account or set, the
//   same share twice, and fewer than k shares, each with its own code;
// - whatever the API (or anyone between) hands over, the rebuilt master must derive the account's published
//   encryption key, or nothing is returned. Fewer than k shares rebuild an unrelated secret (Shamir's
//   threshold property), so one guardian, or k-1 together, learn nothing of the master.
//
// The calls, in order (the routes are in api/src/recovery/, the types in the sdk's api/recovery.ts):
//   patient    splitToGuardians(master, ...)             -> body of PUT /recovery/guardians
//   guardian   rewrapShareFor(myShare, myKey, request)    -> body of POST /recovery/requests/:id/approve
//   requester  recoverMaster(view.shares, newKey, ...)    -> the master; then PUT /keys/wrapped, a device
//              entry, the record index (RecordVault.adoptRecordsOf) and POST /recovery/requests/:id/complete.
import { bytesToHex, randomBytes } from "@noble/hashes/utils.js";
import { combine, split } from "shamir-secret-sharing";
import { isAccountDid, normalizeAccountDid } from "../api/did.js";
import { MAX_GUARDIANS, MIN_GUARDIAN_THRESHOLD, type GuardianSetBody } from "../api/recovery.js";
import { base64urlToBytes, bytesToBase64url } from "../auth/base64url.js";
import { keyAgreementKeyOf } from "../crypto/did-key.js";
import type { EncryptionKeyPair } from "../crypto/encryption-key.js";
import { openAsRecipient, sealToRecipient, type StealthSealed } from "../crypto/stealth.js";
import { OpenChartError, invalidInput } from "../errors.js";
import { preview } from "../hex.js";
import { checkMasterKey, encryptionKeyOfMaster, MASTER_KEY_BYTES, MASTER_SCHEMES, type MasterKey, type MasterScheme } from "./master-key.js";

export const GUARDIAN_SHARE_VERSION = 1 as const;

/** What one sealed share holds. Readable by its guardian (and the patient); after approval, by the requester. */
export interface GuardianShare {
  v: typeof GUARDIAN_SHARE_VERSION;
  /** Whose master this is a share of (the account to recover). */
  patient: string;
  /** The guardian it was given to. */
  guardian: string;
  /** The split it belongs to: shares of two splits never combine. */
  setId: string;
  threshold: number;
  count: number;
  /** The master's scheme, which the rebuilt secret needs to derive the right keys. */
  scheme: MasterScheme;
  /** The X25519 did:key the master stands for: the rebuilt master must derive it. */
  keyDid: string;
  /** base64url: the share's bytes, its x coordinate last. */
  share: string;
}

/** A guardian the patient picked: their account DID and the encryption key they published. */
export interface GuardianPick {
  did: string;
  keyDid: string;
}

/** One re-wrapped share as the requester receives it (the `shares` of its request view). */
export interface DeliveredShare {
  guardian: string;
  share: string;
}

function checkAccount(did: string, what: string): string {
  if (typeof did !== "string" || !isAccountDid(did)) throw invalidInput(`${what} must be a did:pkh:eip155 account or a did:key, got ${preview(did)}`);
  return normalizeAccountDid(did);
}

function checkKeyDid(keyDid: string, what: string): void {
  try {
    keyAgreementKeyOf(keyDid);
  } catch {
    throw invalidInput(`${what} must be an X25519 (or Ed25519) did:key, got ${preview(keyDid)}`);
  }
}

/**
 * Splits the master k-of-n and seals each share to one guardian's key: the body of `PUT /recovery/guardians`.
 * A new split each call (fresh set ID and shares): shares of an earlier set never combine with these.
 */
export async function splitToGuardians(
  master: MasterKey,
  input: { patient: string; threshold: number; guardians: readonly GuardianPick[] },
): Promise<GuardianSetBody> {
  checkMasterKey(master);
  const patient = checkAccount(input.patient, "the patient");
  const count = input.guardians?.length ?? 0;
  if (count < MIN_GUARDIAN_THRESHOLD || count > MAX_GUARDIANS) {
    throw invalidInput(`pick from ${MIN_GUARDIAN_THRESHOLD} to ${MAX_GUARDIANS} guardians, got ${count}`);
  }
  const { threshold } = input;
  if (!Number.isInteger(threshold) || threshold < MIN_GUARDIAN_THRESHOLD || threshold > count) {
    throw invalidInput(`the threshold must be a whole number from ${MIN_GUARDIAN_THRESHOLD} to the number of guardians (${count}), got ${String(threshold)}`);
  }
  const guardians = input.guardians.map((g, i) => {
    const did = checkAccount(g.did, `guardian ${i + 1}`);
    if (did === patient) throw invalidInput("you cannot be your own guardian: pick other people");
    checkKeyDid(g.keyDid, `the encryption key of guardian ${did}`);
    return { did, keyDid: g.keyDid };
  });
  const seen = new Set<string>();
  for (const { did } of guardians) {
    if (seen.has(did)) throw invalidInput(`${did} is named twice: each guardian holds one share`);
    seen.add(did);
  }
  const key = encryptionKeyOfMaster(master);
  const setId = bytesToHex(randomBytes(16));
  const shares = await split(master.secret, count, threshold);
  return {
    setId,
    threshold,
    guardians: await Promise.all(
      guardians.map(async ({ did, keyDid }, i) => {
        const payload: GuardianShare = {
          v: GUARDIAN_SHARE_VERSION,
          patient,
          guardian: did,
          setId,
          threshold,
          count,
          scheme: master.scheme,
          keyDid: key.did,
          share: bytesToBase64url(shares[i]!),
        };
        // The patient is the author: its own key reopens the share (openAsAuthor), no one else's.
        return { did, keyDid, share: JSON.stringify(await sealToRecipient(payload, keyDid, key.secretKey)) };
      }),
    ),
  };
}

function parseSealed(sealed: string, what: string): StealthSealed {
  let value: unknown;
  try {
    value = typeof sealed === "string" ? JSON.parse(sealed) : undefined;
  } catch {
    value = undefined;
  }
  const o = value as Partial<StealthSealed> | undefined;
  if (typeof o?.ephemeralKey !== "string" || typeof o.viewTag !== "string" || typeof o.sealed !== "string") {
    throw new OpenChartError("UNSUPPORTED_FORMAT", `${what} is not a sealed share`);
  }
  return o as StealthSealed;
}

/** Checks an opened share's fields; `what` names it in errors. */
export function parseGuardianShare(value: unknown, what: string): GuardianShare {
  const s = value as Partial<GuardianShare> | null;
  const bytes = typeof s?.share === "string" ? base64urlToBytes(s.share) : undefined;
  const ok =
    typeof s === "object" && s !== null && s.v === GUARDIAN_SHARE_VERSION && typeof s.patient === "string" && typeof s.guardian === "string" &&
    typeof s.setId === "string" && /^[0-9a-f]{32}$/.test(s.setId) && Number.isInteger(s.threshold) && Number.isInteger(s.count) &&
    s.threshold! >= MIN_GUARDIAN_THRESHOLD && s.threshold! <= s.count! && s.count! <= MAX_GUARDIANS &&
    MASTER_SCHEMES.includes(s.scheme!) && typeof s.keyDid === "string" && bytes?.length === MASTER_KEY_BYTES + 1;
  if (!ok) throw new OpenChartError("UNSUPPORTED_FORMAT", `${what} is not a guardian share of version ${GUARDIAN_SHARE_VERSION}`);
  return s as GuardianShare;
}

async function openShare(sealed: string, key: EncryptionKeyPair, what: string): Promise<GuardianShare> {
  const opened = await openAsRecipient<unknown>(parseSealed(sealed, what), key.secretKey);
  if (opened === null) throw new OpenChartError("WRONG_KEY", `${what} is not sealed to your encryption key`);
  return parseGuardianShare(opened, what);
}

/**
 * A guardian opens the share it holds for `patient` (from `GET /recovery/guarding` or a request's `myShare`).
 * WRONG_GUARDIAN when the share names another patient or guardian than expected.
 */
export async function openGuardianShare(sealed: string, guardianKey: EncryptionKeyPair, expected: { patient: string; guardian: string }): Promise<GuardianShare> {
  const share = await openShare(sealed, guardianKey, "this share");
  const patient = normalizeAccountDid(expected.patient);
  const guardian = normalizeAccountDid(expected.guardian);
  if (share.patient !== patient) throw new OpenChartError("WRONG_GUARDIAN", `this share is of ${share.patient}'s key, not of ${patient}'s`);
  if (share.guardian !== guardian) throw new OpenChartError("WRONG_GUARDIAN", `this share was given to ${share.guardian}, not to ${guardian}`);
  return share;
}

/**
 * A guardian approves a recovery: opens its share and seals it again to the requester's new key. The result
 * is the body's `share` of `POST /recovery/requests/:id/approve`. Check out of band (a call, in person)
 * that the requester really is the patient before approving: the waiting period only gives the patient's
 * old wallet time to cancel.
 */
export async function rewrapShareFor(
  sealed: string,
  guardianKey: EncryptionKeyPair,
  request: { patient: string; guardian: string; requesterKeyDid: string },
): Promise<string> {
  checkKeyDid(request.requesterKeyDid, "the requester's key");
  const share = await openGuardianShare(sealed, guardianKey, request);
  return JSON.stringify(await sealToRecipient(share, request.requesterKeyDid, guardianKey.secretKey));
}

/**
 * The requester rebuilds the master from the shares guardians re-wrapped to its key (a request view's
 * `shares`). Refused, with nothing returned: a share sealed to another key (WRONG_KEY), delivered by a
 * guardian it was not given to or belonging to another account or set (WRONG_GUARDIAN), one guardian's
 * share twice (DUPLICATE_SHARE), fewer than the threshold (NOT_ENOUGH_SHARES), and shares that do not
 * rebuild the account's key (WRONG_KEY). `expected.keyDid`, when given (the old account's published
 * encryption key), must match too.
 */
export async function recoverMaster(
  delivered: readonly DeliveredShare[],
  requesterKey: EncryptionKeyPair,
  expected: { patient: string; keyDid?: string },
): Promise<MasterKey> {
  const patient = normalizeAccountDid(expected.patient);
  const shares: GuardianShare[] = [];
  for (const { guardian: sender, share: sealed } of delivered) {
    const guardian = normalizeAccountDid(sender);
    const share = await openShare(sealed, requesterKey, `the share from ${guardian}`);
    if (share.guardian !== guardian) {
      throw new OpenChartError("WRONG_GUARDIAN", `the share delivered by ${guardian} was given to ${share.guardian}: a guardian can only pass on its own share`);
    }
    if (share.patient !== patient) throw new OpenChartError("WRONG_GUARDIAN", `the share from ${guardian} is of ${share.patient}'s key, not of ${patient}'s`);
    if (shares.some((s) => s.guardian === guardian || s.share === share.share)) {
      throw new OpenChartError("DUPLICATE_SHARE", `the share of ${guardian} was given twice: each guardian's share counts once`);
    }
    const first = shares[0];
    if (first && (share.setId !== first.setId || share.threshold !== first.threshold || share.keyDid !== first.keyDid || share.scheme !== first.scheme)) {
      throw new OpenChartError("WRONG_GUARDIAN", `the share from ${guardian} belongs to another guardian set than the share from ${first.guardian}: shares of two sets never combine`);
    }
    shares.push(share);
  }
  const first = shares[0];
  const threshold = first?.threshold ?? MIN_GUARDIAN_THRESHOLD;
  if (!first || shares.length < threshold) {
    throw new OpenChartError("NOT_ENOUGH_SHARES", `${shares.length} guardian share${shares.length === 1 ? "" : "s"} given, ${threshold} needed: fewer than the threshold open nothing`);
  }
  const points = shares.map((s) => base64urlToBytes(s.share)!);
  if (new Set(points.map((p) => p[MASTER_KEY_BYTES])).size !== points.length) {
    throw new OpenChartError("DUPLICATE_SHARE", "two of the shares are the same share under different guardians' names");
  }
  const master: MasterKey = { scheme: first.scheme, secret: await combine(points) };
  const rebuilt = encryptionKeyOfMaster(master).did;
  if (rebuilt !== first.keyDid || (expected.keyDid !== undefined && rebuilt !== expected.keyDid)) {
    throw new OpenChartError("WRONG_KEY", `the shares do not rebuild ${patient}'s key (they rebuild ${rebuilt}): one of them was altered or is not a share of this key`);
  }
  return master;
}
