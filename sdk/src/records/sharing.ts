import { newConsentOpening, type ConsentOpening } from "../consent.js";
import { ENCRYPTION_KEY_VERSION, openAsAuthor, sealToRecipient } from "../crypto/index.js";
import { OpenChartError, notFound } from "../errors.js";
import { assertStreamId } from "../streams/compose-store.js";
import type { StoredDocument } from "../streams/models.js";
import { checkRecordIds, openOrReport, recordDocument, signedInAccount, type UnreadableDocument, type VaultContext } from "./context.js";
import { openRecordHeader, parseRecordHeader, type RecordHeader } from "./record-header.js";
import { checkPatientProfile, parsePatientProfile, type PatientProfile } from "./patient-profile.js";
import { padded, unpadded } from "./sealed-payload.js";
import { ownPayload, publishStealth } from "./stealth-payload.js";
import { checkAccountDid, checkExpiry } from "./validate.js";
import { accessLogMailbox, isMailboxId } from "./access-log.js";

/** Grants seal to multiples of this: the number of records in a grant stays private up to about ten. */
const GRANT_BLOCK_BYTES = 8192;
/** The largest sealed grant written or read (about a hundred records). */
export const MAX_GRANT_PAYLOAD_BYTES = 120_000;

/** One record inside a grant: its header, so the grantee needs nothing else from the patient. */
export interface GrantedRecord {
  recordId: string;
  keyVersion: number;
  header: RecordHeader;
}

/** What a SealedGrant holds, readable by its patient and its grantee only. */
export interface GrantPayload {
  v: 1;
  grantee: string;
  createdAt: string;
  expiresAt: string;
  revoked: boolean;
  /** The on-chain consent behind the grant; absent when the vault has no ConsentRegistry. */
  opening?: ConsentOpening;
  /** The patient's access-log mailbox (access-log.ts): where the grantee's app reports each record it opens. */
  mailbox?: string;
  /** The patient's name and date of birth as they were when shared, so the grantee knows whose records these are. */
  profile?: PatientProfile;
  records: GrantedRecord[];
}

export interface GrantSummary {
  id: string;
  patient: string;
  grantee: string;
  recordIds: string[];
  expiresAt: string;
  revoked: boolean;
  createdAt: string;
  opening?: ConsentOpening;
  mailbox?: string;
  profile?: PatientProfile;
}

export function grantSummary(document: StoredDocument<"SealedGrantV2">, payload: GrantPayload): GrantSummary {
  return {
    id: document.id,
    patient: document.owner,
    grantee: payload.grantee,
    recordIds: payload.records.map((r) => r.recordId),
    expiresAt: payload.expiresAt,
    revoked: payload.revoked,
    createdAt: payload.createdAt,
    ...(payload.opening ? { opening: payload.opening } : {}),
    ...(payload.mailbox ? { mailbox: payload.mailbox } : {}),
    ...(payload.profile ? { profile: payload.profile } : {}),
  };
}

/** Checks an opened grant's shape; `where` names it in the error. */
export function parseGrantPayload(value: unknown, where: string): GrantPayload {
  const p = unpadded<GrantPayload>(value, where) as Partial<GrantPayload>;
  const bad = (field: string): never => {
    throw new OpenChartError("UNSUPPORTED_FORMAT", `${where} has no valid ${field}`);
  };
  if (p.v !== 1) bad("version");
  if (typeof p.grantee !== "string") bad("grantee");
  if (typeof p.expiresAt !== "string" || Number.isNaN(Date.parse(p.expiresAt))) bad("expiresAt");
  if (typeof p.createdAt !== "string") bad("createdAt");
  if (typeof p.revoked !== "boolean") bad("revoked");
  if (p.mailbox !== undefined && !isMailboxId(p.mailbox)) bad("mailbox");
  if (!Array.isArray(p.records) || p.records.length === 0) bad("records");
  const records = p.records!.map((r, i) => {
    if (typeof r?.recordId !== "string" || !Number.isInteger(r.keyVersion)) bad(`record ${i}`);
    return { recordId: r.recordId, keyVersion: r.keyVersion, header: parseRecordHeader(r.header, `${where}, record ${r.recordId}`) };
  });
  const profile = p.profile === undefined ? undefined : parsePatientProfile(p.profile, where);
  return { ...(p as GrantPayload), records, ...(profile ? { profile } : {}) };
}

export function isActive(payload: GrantPayload, now = Date.now()): boolean {
  return !payload.revoked && Date.parse(payload.expiresAt) > now;
}

/** Publishes the signed-in user's encryption did:key, so others can share records with them. */
export async function publishEncryptionProfile(context: VaultContext): Promise<string> {
  signedInAccount(context, "publishEncryptionProfile");
  const profile = await context.store.create("EncryptionProfile", {
    keyDid: context.encryptionKey.did,
    version: context.encryptionKey.version ?? ENCRYPTION_KEY_VERSION,
    updatedAt: new Date().toISOString(),
  });
  return profile.id;
}

/** The did:key an account receives keys on, from its EncryptionProfile. */
export async function encryptionKeyDidOf(context: VaultContext, account: string): Promise<string> {
  checkAccountDid(account, "grantee");
  const [profile] = await context.store.listByOwner("EncryptionProfile", account);
  if (!profile) {
    throw notFound(`${account} has published no encryption key yet: they must sign in to OpenChart once before records can be shared with them`);
  }
  return profile.content.keyDid;
}

/** Seals a grant to its grantee and puts the sealed payload in IPFS: the public document's content. */
export async function sealGrant(context: VaultContext, payload: GrantPayload) {
  const granteeKey = await encryptionKeyDidOf(context, payload.grantee);
  const sealed = await sealToRecipient(padded(payload, GRANT_BLOCK_BYTES), granteeKey, context.encryptionKey.secretKey);
  return publishStealth(context, sealed, MAX_GRANT_PAYLOAD_BYTES);
}

/** A grant the signed-in patient wrote, opened. */
export async function openOwnGrant(context: VaultContext, grant: StoredDocument<"SealedGrantV2">): Promise<GrantPayload> {
  const sealed = await ownPayload(context, grant, MAX_GRANT_PAYLOAD_BYTES, `grant ${grant.id}`);
  return parseGrantPayload(await openAsAuthor(sealed, context.encryptionKey.secretKey), `grant ${grant.id}`);
}

export interface ShareOptions {
  /** The patient's profile to seal into the grant beside the records (name, date of birth). */
  profile?: PatientProfile;
}

/**
 * Seals the headers (and so the keys) of some of the signed-in patient's records to a grantee, in a
 * SealedGrant that names no one, with a fresh on-chain consent opening when the vault knows the registry.
 * Every record is checked before anything is written. Relay the consent with the opening it returns.
 */
export async function shareRecords(
  context: VaultContext,
  recordIds: readonly string[],
  granteeDid: string,
  expiresAt: Date,
  options: ShareOptions = {},
): Promise<GrantSummary> {
  const me = signedInAccount(context, "shareRecords");
  const ids = checkRecordIds(recordIds);
  const grantee = checkAccountDid(granteeDid, "grantee");
  if (grantee === me) throw new OpenChartError("INVALID_INPUT", "a record is shared with someone else: the grantee is you");
  checkExpiry(expiresAt);
  const profile = options.profile === undefined ? undefined : checkPatientProfile(options.profile);
  const records = await ownRecordsToGrant(context, me, ids);
  const target = context.consentTarget;
  const opening = target
    ? newConsentOpening({ ...target, patient: me, grantee, recordIds: ids, patientSecret: context.encryptionKey.secretKey }).opening
    : undefined;
  const payload: GrantPayload = {
    v: 1,
    grantee,
    createdAt: new Date().toISOString(),
    expiresAt: expiresAt.toISOString(),
    revoked: false,
    ...(opening ? { opening } : {}),
    mailbox: accessLogMailbox(context.encryptionKey.secretKey).mailbox,
    ...(profile ? { profile } : {}),
    records,
  };
  const grant = await context.store.create("SealedGrantV2", await sealGrant(context, payload));
  return grantSummary(grant, payload);
}

/** The current headers of the patient's own records `ids`, as a grant holds them; every one checked first. */
export async function ownRecordsToGrant(context: VaultContext, me: string, ids: readonly string[]): Promise<GrantedRecord[]> {
  const records: GrantedRecord[] = [];
  for (const id of ids) {
    const document = await recordDocument(context, id);
    if (document.owner !== me) throw new OpenChartError("NOT_AUTHORIZED", `record ${id} belongs to ${document.owner}, not to you`);
    const header = await openRecordHeader(document.content.header, context.encryptionKey.secretKey, `record ${id}`);
    records.push({ recordId: id, keyVersion: document.content.keyVersion, header });
  }
  return records;
}

/** One of the signed-in patient's own grants, opened. */
export async function myGrant(context: VaultContext, grantId: string, what: string) {
  const me = signedInAccount(context, what);
  assertStreamId(grantId, "grant ID");
  const grant = await context.store.get("SealedGrantV2", grantId);
  if (!grant) throw notFound(`no access grant with ID ${grantId}`);
  if (grant.owner !== me) throw new OpenChartError("NOT_AUTHORIZED", `grant ${grantId} was made by ${grant.owner}, not by you`);
  return { grant, payload: await openOwnGrant(context, grant) };
}

/** Tries of one grant edit that keeps losing its race to other edits of the same grant (then CONFLICT stands). */
export const GRANT_EDIT_ATTEMPTS = 3;

type OwnGrant = Awaited<ReturnType<typeof myGrant>>;

/**
 * Reseals one of the signed-in patient's grants as `edit` makes it, written only over the sealed payload the
 * edit was computed from. Each edit rewrites the whole payload, so another edit of the grant that lands first
 * (another tab, a key rotation's re-wrap) refuses this write (CONFLICT) instead of being overwritten: the
 * grant is then read again and `edit` applied to it, so both end up in the grant, up to GRANT_EDIT_ATTEMPTS
 * tries. `edit` runs on every read, so its checks (still running?) see the grant as it is now; it returns
 * undefined when that grant needs no change (nothing is written). `read` is a first read the caller has.
 * Only the vault write is retried: a caller's chain step comes after this returns, once.
 */
export async function editGrant(
  context: VaultContext,
  grantId: string,
  what: string,
  edit: (payload: GrantPayload, attempt: number) => GrantPayload | undefined,
  read?: OwnGrant,
): Promise<{ summary: GrantSummary; changed: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const { grant, payload } = attempt === 1 && read ? read : await myGrant(context, grantId, what);
    const next = edit(payload, attempt);
    if (!next) return { summary: grantSummary(grant, payload), changed: false };
    try {
      const sealed = await sealGrant(context, next);
      const updated = await context.store.update("SealedGrantV2", grantId, sealed, { expect: { payload: grant.content.payload } });
      return { summary: grantSummary(updated, next), changed: true };
    } catch (error) {
      if (attempt >= GRANT_EDIT_ATTEMPTS || !(error instanceof OpenChartError && error.code === "CONFLICT")) throw error;
    }
  }
}

/**
 * Marks a grant revoked (resealed, so the revocation is as private as the grant); apps stop opening its
 * records. Revoke its on-chain consent with the returned opening; rotate the records' keys for a hard cut-off.
 */
export async function revokeGrant(context: VaultContext, grantId: string): Promise<GrantSummary> {
  const { summary } = await editGrant(context, grantId, "revokeGrant", (payload) => (payload.revoked ? undefined : { ...payload, revoked: true }));
  return summary;
}

/** The signed-in patient's grants, newest first; those this key cannot open go to `onUnreadable` (see listGrantsOf). */
export async function listMyGrants(context: VaultContext, onUnreadable?: (grant: UnreadableDocument) => void): Promise<GrantSummary[]> {
  return listGrantsOf(context, signedInAccount(context, "listMyGrants"), onUnreadable);
}

/**
 * Grants `account` wrote that the vault's key opens as their author, newest first: the signed-in patient's
 * own, or, after a guardian recovery, those of the old account (same master, so the same author key). Their
 * consent openings let the patient revoke the consents on chain (the revoker is a per-consent key derived
 * from the master, not a wallet); the grant documents themselves stay the old DID's, which no one can edit.
 * One grant that will not open (sealed under another key, altered, an old format, its payload missing) does
 * not hide the others: it is passed to `onUnreadable`. IPFS or Ceramic not answering still throws.
 */
export async function listGrantsOf(context: VaultContext, account: string, onUnreadable?: (grant: UnreadableDocument) => void): Promise<GrantSummary[]> {
  const grants = await context.store.listByOwner("SealedGrantV2", checkAccountDid(account, "account"));
  const opened = await Promise.all(grants.map((grant) => openOrReport(grant.id, () => openOwnGrant(context, grant), onUnreadable)));
  const summaries = grants.flatMap((grant, i) => (opened[i] ? [grantSummary(grant, opened[i])] : []));
  return summaries.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
