// After a guardian recovery: the new wallet's DID takes over the old account's record index. Ceramic
// documents are controlled by the DID that wrote them, so the old SealedRecords cannot be moved; they are
// written again under the new DID, field for field:
// - the header is copied as it is: it is sealed under `headerKeyOf(X25519 secret)`, and the X25519 secret
//   derives from the master alone (not from the DID), so the recovered master opens the copy exactly as it
//   opened the original. Each header is opened first: one that does not open is reported, not copied;
// - the commitment, key version and stored receipt are the same values, so the IPFS ciphertext (its CID is
//   inside the header) and every anchoring receipt stay valid as they are: nothing is re-encrypted or
//   re-anchored.
// Running it again copies only what is missing (records are matched by commitment), so an interrupted
// move resumes. The old documents stay readable to whoever an old grant names (see docs/privacy.md).
import { OpenChartError } from "../errors.js";
import { openOrReport, signedInAccount, type UnreadableDocument, type VaultContext } from "./context.js";
import { openRecordHeader } from "./record-header.js";
import { checkAccountDid } from "./validate.js";

export interface AdoptedRecords {
  /** Old record ID to the new document's ID. */
  copied: { from: string; to: string }[];
  /** Old records the new DID already holds (same commitment): left alone. */
  alreadyHere: string[];
  /** Old records whose header the recovered key does not open (written under another key, or altered). */
  unreadable: UnreadableDocument[];
}

/**
 * Writes `oldAccount`'s SealedRecord documents again under the signed-in DID, which must hold the old
 * account's master (its `encryptionKey` derives from it). Call it once the master is recovered, before
 * `POST /recovery/requests/:id/complete`.
 */
export async function adoptRecordsOf(context: VaultContext, oldAccount: string): Promise<AdoptedRecords> {
  const me = signedInAccount(context, "adoptRecordsOf");
  const old = checkAccountDid(oldAccount, "the old account");
  if (old.toLowerCase() === me.toLowerCase()) throw new OpenChartError("INVALID_INPUT", "the old account is the signed-in one: there is nothing to move");
  const [theirs, mine] = await Promise.all([context.store.listByOwner("SealedRecord", old), context.store.listByOwner("SealedRecord", me)]);
  const held = new Set(mine.map((d) => d.content.commitment.toLowerCase()));
  const result: AdoptedRecords = { copied: [], alreadyHere: [], unreadable: [] };
  for (const listed of theirs) {
    // The index can answer a moment behind a document's latest commit (a key rotation just before the
    // recovery was listed at its old key version once in a full test run): copy the document as it stands.
    const document = (await context.store.get("SealedRecord", listed.id)) ?? listed;
    const { header, keyVersion, commitment, receipt } = document.content;
    const opened = await openOrReport(
      document.id,
      () => openRecordHeader(header, context.encryptionKey.secretKey, `record ${document.id}`),
      (unreadable) => result.unreadable.push(unreadable),
    );
    if (opened === undefined) continue;
    if (held.has(commitment.toLowerCase())) {
      result.alreadyHere.push(document.id);
      continue;
    }
    const copy = await context.store.create("SealedRecord", { header, keyVersion, commitment, ...(receipt ? { receipt } : {}) });
    held.add(commitment.toLowerCase());
    result.copied.push({ from: document.id, to: copy.id });
  }
  return result;
}
