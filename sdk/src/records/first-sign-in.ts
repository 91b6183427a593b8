// What a first sign-in on a device needs to know before it picks the account's key.
import type { EncryptionKeyPair } from "../crypto/index.js";
import { connectCeramic } from "../streams/compose-store.js";
import type { DocumentStore } from "../streams/store.js";
import { openRecordHeader } from "./record-header.js";

/** One of an account's records, as a first sign-in checks a key against it: its ID and sealed header. */
export interface SampledRecord {
  id: string;
  header: string;
}

/**
 * Up to five of `account`'s records (none: it has written none): a first sign-in that finds no published key must not start a new key for an
 * account whose records exist, and only a key that opens them may then be taken as the account's. A profile can be
 * missing though records were written (the local node once dropped writes that raced an anchor, a published
 * profile among them: composites/src/stale-anchors.ts), and publishing a new key over it is not undone.
 */
export async function sampleRecords(account: string, options: { ceramicUrl: string } | { store: DocumentStore }): Promise<SampledRecord[]> {
  const store = "store" in options ? options.store : connectCeramic(options.ceramicUrl);
  const records = await store.listByOwner("SealedRecord", account, { limit: 5 });
  return records.map((record) => ({ id: record.id, header: record.content.header }));
}

/** Whether `key` opens any of `records`' headers (one written under another key, before a recovery, does not decide alone). */
export async function opensAnyRecord(records: readonly SampledRecord[], key: EncryptionKeyPair): Promise<boolean> {
  for (const record of records) {
    const opens = await openRecordHeader(record.header, key.secretKey, `record ${record.id}`).then(
      () => true,
      () => false,
    );
    if (opens) return true;
  }
  return false;
}
