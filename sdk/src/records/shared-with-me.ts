import { openAsRecipient } from "../crypto/index.js";
import { OpenChartError } from "../errors.js";
import type { StoredDocument } from "../streams/models.js";
import { signedInAccount, summaryOf, type RecordSummary, type VaultContext } from "./context.js";
import type { RecordHeader } from "./record-header.js";
import { MAX_GRANT_PAYLOAD_BYTES, grantSummary, isActive, parseGrantPayload, type GrantPayload, type GrantSummary } from "./sharing.js";
import { withPayload } from "./stealth-payload.js";
import { openCandidates } from "./stealth-scan.js";

export interface SharedWithMe extends GrantSummary {
  records: RecordSummary[];
}

interface ReceivedGrant {
  grant: StoredDocument<"SealedGrantV2">;
  payload: GrantPayload;
}

/**
 * Grants sealed to the signed-in user, as they stand now (re-read, so a revocation shows at once), each passed
 * to `then` as soon as it is opened (while the scan goes on). A view-tag collision that is not for me opens to
 * nothing and is passed over quietly, as is one whose payload is not in IPFS; a grant that names someone else
 * inside is refused the same way, since it was not sealed for this account.
 */
async function receivedGrants<T>(context: VaultContext, me: string, then: (received: ReceivedGrant) => Promise<T | undefined> | T | undefined): Promise<T[]> {
  const results = await openCandidates(context, "SealedGrantV2", async (id): Promise<T | undefined> => {
    const grant = await context.store.get("SealedGrantV2", id);
    const sealed = grant ? await withPayload(context, grant, MAX_GRANT_PAYLOAD_BYTES) : undefined;
    if (!grant || !sealed) return undefined;
    const opened = await openAsRecipient<unknown>(sealed, context.encryptionKey.secretKey);
    if (opened === null) return undefined;
    const payload = parseGrantPayload(opened, `grant ${id}`);
    return payload.grantee === me ? then({ grant, payload }) : undefined;
  });
  return results.filter((r): r is Awaited<T> => r !== undefined);
}

/** Active grants sealed to the signed-in user, with the records they open. */
export async function listSharedWithMe(context: VaultContext): Promise<SharedWithMe[]> {
  const me = signedInAccount(context, "listSharedWithMe");
  return receivedGrants(context, me, async ({ grant, payload }): Promise<SharedWithMe | undefined> => {
    if (!isActive(payload)) return undefined;
    const records = await Promise.all(
      payload.records.map(async (r) => {
        const document = await context.store.get("SealedRecord", r.recordId);
        // A grant can only open records of the patient who wrote it.
        return document && document.owner === grant.owner ? summaryOf(document, r.header) : undefined;
      }),
    );
    return { ...grantSummary(grant, payload), records: records.filter((r): r is RecordSummary => r !== undefined) };
  });
}

/** The header of `document` from the newest active grant its patient sealed to `me` for its current key. */
export async function grantedHeader(context: VaultContext, me: string, document: StoredDocument<"SealedRecord">): Promise<RecordHeader> {
  const candidates = (await receivedGrants(context, me, (received) => received))
    .filter(({ grant, payload }) => grant.owner === document.owner && isActive(payload))
    .sort((a, b) => b.payload.createdAt.localeCompare(a.payload.createdAt))
    .flatMap(({ payload }) => payload.records.filter((r) => r.recordId === document.id));
  if (candidates.length === 0) {
    throw new OpenChartError("NOT_AUTHORIZED", `record ${document.id} is not shared with ${me} (no active grant from ${document.owner})`);
  }
  const current = candidates.find((r) => r.keyVersion === document.content.keyVersion);
  if (!current) {
    throw new OpenChartError(
      "NOT_AUTHORIZED",
      `record ${document.id} was re-encrypted under a new key after it was shared with you: ask ${document.owner} to share it again`,
    );
  }
  return current.header;
}
