// Changes to a running share, by its patient: a later expiry, another set of records, and the re-wrap that
// follows a key rotation so that the grants still running keep opening the record. Each change reseals the
// grant (a fresh sealed payload under a fresh CID), so it is as private as the grant itself.
import { OpenChartError, invalidInput } from "../errors.js";
import { checkRecordIds, recordDocument, signedInAccount, type UnreadableDocument, type VaultContext } from "./context.js";
import { openRecordHeader } from "./record-header.js";
import { grantSummary, isActive, myGrant, openOwnGrantOrReport, revokeGrant, sealGrant, shareRecords, type GrantPayload, type GrantSummary } from "./sharing.js";
import { checkExpiry } from "./validate.js";

async function runningGrant(context: VaultContext, grantId: string, what: string) {
  const found = await myGrant(context, grantId, what);
  if (!isActive(found.payload)) throw new OpenChartError("INVALID_INPUT", `grant ${grantId} has ended (revoked or expired): share again instead`);
  return found;
}

/**
 * Moves a running grant's expiry later. Extend its on-chain consent to the same time with the returned
 * opening (a consent only ever moves later, so the grant and the consent end together).
 */
export async function extendGrant(context: VaultContext, grantId: string, expiresAt: Date): Promise<GrantSummary> {
  const { payload } = await runningGrant(context, grantId, "extendGrant");
  checkExpiry(expiresAt);
  if (expiresAt.getTime() <= Date.parse(payload.expiresAt)) {
    throw invalidInput(`a share is extended to a later time than it runs now (${payload.expiresAt}), got ${expiresAt.toISOString()}`);
  }
  const extended: GrantPayload = { ...payload, expiresAt: expiresAt.toISOString() };
  const updated = await context.store.update("SealedGrantV2", grantId, await sealGrant(context, extended));
  return grantSummary(updated, extended);
}

/**
 * Replaces a running grant by one over `recordIds`, to the same grantee until the same time. A consent
 * commits to its records, so the new grant carries a new consent opening (relay its grant), and the old
 * grant is marked revoked (relay its consent's revoke). A record left out stays readable to the grantee
 * only in the version they already hold: rotate its key for a hard cut-off.
 */
export async function changeGrantRecords(
  context: VaultContext,
  grantId: string,
  recordIds: readonly string[],
): Promise<{ replaced: GrantSummary; grant: GrantSummary }> {
  const { payload } = await runningGrant(context, grantId, "changeGrantRecords");
  const ids = checkRecordIds(recordIds);
  const before = new Set(payload.records.map((r) => r.recordId));
  if (ids.length === before.size && ids.every((id) => before.has(id))) throw invalidInput(`grant ${grantId} already shares exactly these records`);
  // The new grant first: if writing it fails, the grantee keeps the old one. It carries the same profile (name,
  // date of birth) the patient shared before, so the doctor still sees whose records these are.
  const grant = await shareRecords(context, ids, payload.grantee, new Date(payload.expiresAt), payload.profile ? { profile: payload.profile } : {});
  const replaced = await revokeGrant(context, grantId);
  return { replaced, grant };
}

/**
 * Brings every running grant of the signed-in patient that shares `recordId` to the record's current key
 * (after a rotation): only ended grants keep the old key, which opens nothing new. Returns the IDs of the
 * grants it resealed. Safe to run again: a grant already at the current key version is left as it is.
 * A grant this key cannot open cannot be resealed either: it goes to `onUnreadable` and the others are
 * re-wrapped all the same (a rotation has already happened when this runs; failing here would leave every
 * running grantee without the new key because of one bad document).
 */
export async function rewrapActiveGrants(context: VaultContext, recordId: string, onUnreadable?: (grant: UnreadableDocument) => void): Promise<string[]> {
  const me = signedInAccount(context, "rewrapActiveGrants");
  const document = await recordDocument(context, recordId);
  if (document.owner !== me) throw new OpenChartError("NOT_AUTHORIZED", `only the patient who owns record ${recordId} can re-wrap its key`);
  const header = await openRecordHeader(document.content.header, context.encryptionKey.secretKey, `record ${recordId}`);
  const keyVersion = document.content.keyVersion;
  const grants = await context.store.listByOwner("SealedGrantV2", me);
  const updated = await Promise.all(
    grants.map(async (grant) => {
      const payload = await openOwnGrantOrReport(context, grant, onUnreadable);
      if (!payload || !isActive(payload) || !payload.records.some((r) => r.recordId === recordId && r.keyVersion !== keyVersion)) return undefined;
      const records = payload.records.map((r) => (r.recordId === recordId ? { recordId, keyVersion, header } : r));
      await context.store.update("SealedGrantV2", grant.id, await sealGrant(context, { ...payload, records }));
      return grant.id;
    }),
  );
  return updated.filter((id): id is string => id !== undefined);
}
