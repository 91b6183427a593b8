// Changes to a running share, by its patient: a later expiry, another set of records, and the re-wrap that
// follows a key rotation so that the grants still running keep opening the record. Each change reseals the
// grant (a fresh sealed payload under a fresh CID), so it is as private as the grant itself.
import { OpenChartError, invalidInput } from "../errors.js";
import { checkRecordIds, openOrReport, recordDocument, signedInAccount, type UnreadableDocument, type VaultContext } from "./context.js";
import { openRecordHeader } from "./record-header.js";
import { editGrant, isActive, myGrant, openOwnGrant, revokeGrant, shareRecords, type GrantPayload, type GrantSummary, type GrantedRecord } from "./sharing.js";
import { checkExpiry } from "./validate.js";

/** Throws unless the grant still runs: an ended grant is not changed, it is shared again. */
function checkRunning(grantId: string, payload: GrantPayload): GrantPayload {
  if (!isActive(payload)) throw new OpenChartError("INVALID_INPUT", `grant ${grantId} has ended (revoked or expired): share again instead`);
  return payload;
}

/**
 * Moves a running grant's expiry later. Extend its on-chain consent to the same time with the returned
 * opening (a consent only ever moves later, so the grant and the consent end together). When another edit
 * of the grant lands first, this one is applied again on top of it; if that edit already runs the grant
 * until `expiresAt` or later, nothing more is written and the summary says until when.
 */
export async function extendGrant(context: VaultContext, grantId: string, expiresAt: Date): Promise<GrantSummary> {
  const { summary } = await editGrant(context, grantId, "extendGrant", (payload, attempt) => {
    checkRunning(grantId, payload);
    checkExpiry(expiresAt);
    if (expiresAt.getTime() > Date.parse(payload.expiresAt)) return { ...payload, expiresAt: expiresAt.toISOString() };
    if (attempt > 1) return undefined;
    throw invalidInput(`a share is extended to a later time than it runs now (${payload.expiresAt}), got ${expiresAt.toISOString()}`);
  });
  return summary;
}

/**
 * The replacement `grant` brought up to what an edit of the grant it replaces (`old`) made after the
 * replacement was built from it: a later expiry, a newer key of a record both hold (a rotation's re-wrap).
 */
function following(old: GrantPayload) {
  return (grant: GrantPayload): GrantPayload | undefined => {
    const later = Date.parse(old.expiresAt) > Date.parse(grant.expiresAt);
    const newer = (r: GrantedRecord) => old.records.find((o) => o.recordId === r.recordId && o.keyVersion > r.keyVersion);
    if (!later && !grant.records.some(newer)) return undefined;
    return { ...grant, expiresAt: later ? old.expiresAt : grant.expiresAt, records: grant.records.map((r) => newer(r) ?? r) };
  };
}

/**
 * Replaces a running grant by one over `recordIds`, to the same grantee until the same time. A consent
 * commits to its records, so the new grant carries a new consent opening (relay its grant), and the old
 * grant is marked revoked (relay its consent's revoke). A record left out stays readable to the grantee
 * only in the version they already hold: rotate its key for a hard cut-off. An extension or re-wrap of the old
 * grant that lands meanwhile is carried into the new one; a revocation meanwhile revokes the new one too.
 */
export async function changeGrantRecords(
  context: VaultContext,
  grantId: string,
  recordIds: readonly string[],
): Promise<{ replaced: GrantSummary; grant: GrantSummary }> {
  const { payload } = await myGrant(context, grantId, "changeGrantRecords");
  checkRunning(grantId, payload);
  const ids = checkRecordIds(recordIds);
  const before = new Set(payload.records.map((r) => r.recordId));
  if (ids.length === before.size && ids.every((id) => before.has(id))) throw invalidInput(`grant ${grantId} already shares exactly these records`);
  // The new grant first: if writing it fails, the grantee keeps the old one. It carries the same profile (name,
  // date of birth) the patient shared before, so the doctor still sees whose records these are.
  const grant = await shareRecords(context, ids, payload.grantee, new Date(payload.expiresAt), payload.profile ? { profile: payload.profile } : {});
  // The old grant as this revocation found it: another tab may have extended or re-wrapped it meanwhile, or ended it.
  let old = payload;
  let replaced: GrantSummary;
  try {
    ({ summary: replaced } = await editGrant(context, grantId, "changeGrantRecords", (now) => {
      old = now;
      return isActive(now) ? { ...now, revoked: true } : undefined;
    }));
  } catch (error) {
    // The old grant still runs (CONFLICT after every try, or a failure): take the replacement back, so the
    // patient's reload shows the share as it was and no grant runs without its consent relayed.
    await revokeGrant(context, grant.id).catch(() => undefined);
    throw error;
  }
  if (!isActive(old)) {
    // Ended meanwhile (revoked in another tab): the patient stopped this share, so its replacement stops too.
    await revokeGrant(context, grant.id);
    throw new OpenChartError("INVALID_INPUT", `grant ${grantId} ended while it was being changed (revoked or expired): share again instead`);
  }
  // Read the replacement again only when the old grant changed since it was built from it.
  if (!following(old)(payload)) return { replaced, grant };
  const { summary } = await editGrant(context, grant.id, "changeGrantRecords", following(old));
  return { replaced, grant: summary };
}

/**
 * Brings every running grant of the signed-in patient that shares `recordId` to the record's current key
 * (after a rotation): only ended grants keep the old key, which opens nothing new. Returns the IDs of the
 * grants it resealed. Safe to run again: a grant already at the current key version (or a later one, from
 * a rotation that followed) is left as it is. A grant this key cannot open cannot be resealed either: it goes
 * to `onUnreadable` and the others are re-wrapped all the same (a rotation has already happened when this
 * runs; failing here would leave every running grantee without the new key because of one bad document).
 */
export async function rewrapActiveGrants(context: VaultContext, recordId: string, onUnreadable?: (grant: UnreadableDocument) => void): Promise<string[]> {
  const me = signedInAccount(context, "rewrapActiveGrants");
  const document = await recordDocument(context, recordId);
  if (document.owner !== me) throw new OpenChartError("NOT_AUTHORIZED", `only the patient who owns record ${recordId} can re-wrap its key`);
  const header = await openRecordHeader(document.content.header, context.encryptionKey.secretKey, `record ${recordId}`);
  const keyVersion = document.content.keyVersion;
  const rewrap = (payload: GrantPayload): GrantPayload | undefined => {
    if (!isActive(payload) || !payload.records.some((r) => r.recordId === recordId && r.keyVersion < keyVersion)) return undefined;
    return { ...payload, records: payload.records.map((r) => (r.recordId === recordId ? { recordId, keyVersion, header } : r)) };
  };
  const grants = await context.store.listByOwner("SealedGrantV2", me);
  const updated = await Promise.all(
    grants.map(async (grant) => {
      const payload = await openOrReport(grant.id, () => openOwnGrant(context, grant), onUnreadable);
      if (payload === undefined || !rewrap(payload)) return undefined;
      const { changed } = await editGrant(context, grant.id, "rewrapActiveGrants", rewrap, { grant, payload });
      return changed ? grant.id : undefined;
    }),
  );
  return updated.filter((id): id is string => id !== undefined);
}
