import { ENCRYPTION_KEY_VERSION, rewrapKey, type KeyEnvelope } from "../crypto/index.js";
import { OpenChartError, notFound } from "../errors.js";
import { assertStreamId } from "../streams/compose-store.js";
import type { StoredDocument } from "../streams/models.js";
import { checkRecordIds, parseEnvelope, recordDocument, signedInAccount, summaryOf, type RecordSummary, type VaultContext } from "./context.js";
import { checkAccountDid, checkExpiry } from "./validate.js";

export interface GrantSummary {
  id: string;
  patient: string;
  grantee: string;
  recordIds: string[];
  expiresAt: string;
  revoked: boolean;
  createdAt: string;
}

export interface SharedWithMe extends GrantSummary {
  records: RecordSummary[];
}

function grantSummary(document: StoredDocument<"AccessGrant">): GrantSummary {
  const c = document.content;
  return {
    id: document.id,
    patient: document.owner,
    grantee: c.grantee,
    recordIds: c.keys.map((k) => k.recordId),
    expiresAt: c.expiresAt,
    revoked: c.revoked,
    createdAt: c.createdAt,
  };
}

function isActive(grant: StoredDocument<"AccessGrant">, now = Date.now()): boolean {
  return !grant.content.revoked && Date.parse(grant.content.expiresAt) > now;
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

/**
 * Wraps the keys of some of the signed-in patient's records to a grantee's encryption key and writes an
 * AccessGrant addressed to them. Every record is checked before anything is written.
 */
export async function shareRecords(
  context: VaultContext,
  recordIds: readonly string[],
  granteeDid: string,
  expiresAt: Date,
): Promise<GrantSummary> {
  const me = signedInAccount(context, "shareRecords");
  const ids = checkRecordIds(recordIds);
  const grantee = checkAccountDid(granteeDid, "grantee");
  checkExpiry(expiresAt);
  const granteeKey = await encryptionKeyDidOf(context, grantee);
  const keys = [];
  for (const id of ids) {
    const document = await recordDocument(context, id);
    if (document.owner !== me) throw new OpenChartError("NOT_AUTHORIZED", `record ${id} belongs to ${document.owner}, not to you`);
    const own = parseEnvelope(document.content.keyEnvelope, `record ${id}`);
    const wrapped = await rewrapKey(own, context.encryptionKey.secretKey, [granteeKey]);
    keys.push({ recordId: id, keyVersion: document.content.keyVersion, envelope: JSON.stringify(wrapped) });
  }
  const grant = await context.store.create("AccessGrant", {
    grantee,
    keys,
    expiresAt: expiresAt.toISOString(),
    revoked: false,
    createdAt: new Date().toISOString(),
  });
  return grantSummary(grant);
}

/** Marks a grant revoked; apps stop opening its records. Rotate the records' keys for a hard cut-off. */
export async function revokeGrant(context: VaultContext, grantId: string): Promise<GrantSummary> {
  const me = signedInAccount(context, "revokeGrant");
  assertStreamId(grantId, "grant ID");
  const grant = await context.store.get("AccessGrant", grantId);
  if (!grant) throw notFound(`no access grant with ID ${grantId}`);
  if (grant.owner !== me) throw new OpenChartError("NOT_AUTHORIZED", `grant ${grantId} was made by ${grant.owner}, not by you`);
  return grantSummary(await context.store.update("AccessGrant", grantId, { revoked: true }));
}

/** Active grants addressed to the signed-in user, with the records they open. */
export async function listSharedWithMe(context: VaultContext): Promise<SharedWithMe[]> {
  const me = signedInAccount(context, "listSharedWithMe");
  const grants = (await context.store.findBy("AccessGrant", "grantee", me)).filter((g) => isActive(g));
  return Promise.all(
    grants.map(async (grant) => {
      const records = await Promise.all(
        grant.content.keys.map(async (k) => {
          const document = await context.store.get("MedicalRecord", k.recordId);
          // A grant can only open records of the patient who wrote it.
          return document && document.owner === grant.owner ? summaryOf(document) : undefined;
        }),
      );
      return { ...grantSummary(grant), records: records.filter((r): r is RecordSummary => r !== undefined) };
    }),
  );
}

/** The newest active grant from the record's patient to `me` that carries its current key. */
export async function grantedEnvelope(context: VaultContext, me: string, record: RecordSummary): Promise<KeyEnvelope> {
  const grants = await context.store.findBy("AccessGrant", "grantee", me);
  const candidates = grants
    .filter((g) => g.owner === record.owner && isActive(g))
    .flatMap((g) => g.content.keys.filter((k) => k.recordId === record.id));
  if (candidates.length === 0) {
    throw new OpenChartError("NOT_AUTHORIZED", `record ${record.id} is not shared with ${me} (no active grant from ${record.owner})`);
  }
  const current = candidates.find((k) => k.keyVersion === record.keyVersion);
  if (!current) {
    throw new OpenChartError(
      "NOT_AUTHORIZED",
      `record ${record.id} was re-encrypted under a new key after it was shared with you: ask ${record.owner} to share it again`,
    );
  }
  return parseEnvelope(current.envelope, `the grant for record ${record.id}`);
}
