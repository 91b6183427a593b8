// What a first sign-in on a device needs to know before it picks the account's key.
import type { EncryptionKeyPair } from "../crypto/index.js";
import { connectCeramic } from "../streams/compose-store.js";
import type { DocumentStore } from "../streams/store.js";
import { openRecordHeader } from "./record-header.js";

/**
 * Whether `account` has written records, and whether `key` opens them (their headers): a first sign-in that
 * finds no published key must not start a new key for an account whose records exist. A profile can be missing
 * though records were written (a loaded local node dropped just-published profiles: 3 of 64 at load 10), and
 * only the key that opens the records may then be taken as the account's key.
 */
export async function recordsOpenWith(
  account: string,
  key: EncryptionKeyPair,
  options: { ceramicUrl: string } | { store: DocumentStore },
): Promise<"no-records" | "opens" | "does-not-open"> {
  const store = "store" in options ? options.store : connectCeramic(options.ceramicUrl);
  // A few of them: one written under another key (before a recovery) does not decide alone.
  const records = await store.listByOwner("SealedRecord", account, { limit: 5 });
  if (records.length === 0) return "no-records";
  for (const record of records) {
    const opens = await openRecordHeader(record.content.header, key.secretKey, `record ${record.id}`).then(
      () => true,
      () => false,
    );
    if (opens) return "opens";
  }
  return "does-not-open";
}
