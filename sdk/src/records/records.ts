import { commitmentOf, newSalt } from "../commitment.js";
import { decryptStream, encryptStream, newContentKey, type DecryptResult, type ResultStream } from "../crypto/index.js";
import { encryptAndStore, type StoredContent } from "./record-content.js";
import { OpenChartError } from "../errors.js";
import type { Hex } from "../hex.js";
import type { ProgressFn } from "../progress.js";
import type { ByteSource } from "../crypto/index.js";
import { checkCommitment, openOrReport, recordDocument, signedInAccount, summaryOf, type RecordSummary, type UnreadableDocument, type VaultContext } from "./context.js";
import { submitCommitment, type AnchoringState } from "./anchoring.js";
import { movePin, submitPin, type PinningState } from "./pinning.js";
import { contentKeyHex, contentKeyOf, openRecordHeader, sealRecordHeader, type RecordHeader } from "./record-header.js";
import { grantedHeader } from "./shared-with-me.js";
import { rewrapActiveGrants } from "./grant-changes.js";
import { checkCategory, checkMediaType, checkTitle } from "./validate.js";

export interface AddRecordInput {
  /** The file's bytes: whole, as chunks, or a web stream (`File.stream()`). Never stored unencrypted. Required unless `storeContent` is given. */
  content?: ByteSource;
  /**
   * Encrypts and stores the content somewhere else, under the content key given (the web app runs
   * `encryptAndStore` in a Web Worker so the page never freezes); `content` is then not read.
   */
  storeContent?: (contentKey: Uint8Array) => Promise<StoredContent>;
  /** Called as the upload moves from encrypting and storing the bytes to indexing and anchoring them. */
  onStage?: (stage: "indexing" | "anchoring") => void;
  /** What the patient calls it: asked for, never taken from the file name (which goes nowhere). */
  title: string;
  /** Default `application/octet-stream`. */
  mediaType?: string;
  /** FHIR DocumentReference.category code. */
  category?: string;
  /** The file's size, when known: for progress only. */
  size?: number;
  onProgress?: ProgressFn;
}

export interface AddedRecord extends RecordSummary {
  /** SHA-256 of the plaintext: with the salt, it proves the document against an anchored leaf. */
  sha256: Hex;
  salt: Hex;
  /** Whether the commitment was queued at the anchoring service (absent when none is configured). */
  anchoring?: AnchoringState;
  /** Whether the API took the ciphertext's CID for remote pinning (absent when no API is configured). */
  pinning?: PinningState;
}

export interface OpenedRecord {
  record: RecordSummary;
  /** The commitment salt, from the record's header. */
  salt: Hex;
  /**
   * The plaintext, streamed and authenticated chunk by chunk. Only a read to the end proves it whole and
   * matching its commitment: the iteration throws (TAMPERED, TRUNCATED, HASH_MISMATCH...) otherwise.
   */
  content: ResultStream<DecryptResult>;
}

/** How long a successful reachability check is trusted, so a burst of small uploads does not repeat it. */
const REACHABLE_FOR_MS = 5_000;
const lastReachable = new WeakMap<VaultContext, number>();

async function reachable(context: VaultContext): Promise<void> {
  // Before any work: a 100 MB encryption that then fails on a stopped node helps nobody.
  if (Date.now() - (lastReachable.get(context) ?? 0) < REACHABLE_FOR_MS) return;
  await Promise.all([context.store.ensureReachable(), context.blobs.ensureReachable()]);
  lastReachable.set(context, Date.now());
}

/**
 * Encrypts a file, stores the ciphertext in IPFS, then indexes it as a SealedRecord whose header, sealed to the patient, points at it. The document is
 * written only after IPFS holds every byte, so no record ever points at a CID that was not stored.
 */
export async function addRecord(context: VaultContext, input: AddRecordInput): Promise<AddedRecord> {
  signedInAccount(context, "addRecord");
  const title = checkTitle(input.title);
  const mediaType = checkMediaType(input.mediaType ?? "application/octet-stream");
  const category = checkCategory(input.category);
  const { content, storeContent } = input;
  if (content === undefined && storeContent === undefined) throw new OpenChartError("INVALID_INPUT", "addRecord needs content or storeContent");
  await reachable(context);

  const contentKey = newContentKey();
  const stored = storeContent
    ? await storeContent(contentKey)
    : await encryptAndStore(context.blobs, content!, contentKey, {
        ...(input.size !== undefined ? { size: input.size } : {}),
        ...(input.onProgress ? { onProgress: input.onProgress } : {}),
      });
  const { sha256, plaintextBytes } = stored;
  input.onStage?.("indexing");
  const salt = newSalt();
  const header: RecordHeader = {
    cid: stored.cid,
    title,
    mediaType,
    ...(category ? { category } : {}),
    size: plaintextBytes,
    createdAt: new Date().toISOString(),
    contentKey: contentKeyHex(contentKey),
    salt,
    sha256,
  };
  const document = await context.store.create("SealedRecord", {
    header: await sealRecordHeader(header, context.encryptionKey.secretKey),
    keyVersion: 1,
    commitment: commitmentOf(sha256, salt),
  });
  const record = summaryOf(document, header);
  if (context.anchorServiceUrl) input.onStage?.("anchoring");
  const [anchoring, pinning] = context.anchorServiceUrl ? await Promise.all([submitCommitment(context, record), submitPin(context, record)]) : [];
  return { ...record, sha256, salt, ...(anchoring ? { anchoring } : {}), ...(pinning ? { pinning } : {}) };
}

/** A record whose header this key cannot open (sealed under another key, or altered), and why. */
export type UnreadableRecord = UnreadableDocument;

/**
 * The signed-in patient's records, headers opened, newest first. One header that will not open (written
 * under another encryption key, or altered) does not hide the others: it is passed to `onUnreadable`.
 */
export async function listRecords(context: VaultContext, onUnreadable?: (record: UnreadableRecord) => void): Promise<RecordSummary[]> {
  return (await listLoadedRecords(context, onUnreadable)).map((loaded) => loaded.record);
}

/** `listRecords` with each record's opened header (its hash, salt and content key): for exports. */
export async function listLoadedRecords(context: VaultContext, onUnreadable?: (record: UnreadableRecord) => void): Promise<LoadedRecord[]> {
  const me = signedInAccount(context, "listRecords");
  const documents = await context.store.listByOwner("SealedRecord", me);
  const opened = await Promise.all(
    documents.map((document) =>
      openOrReport(
        document.id,
        async () => {
          const header = await openRecordHeader(document.content.header, context.encryptionKey.secretKey, `record ${document.id}`);
          return { record: summaryOf(document, header), header };
        },
        onUnreadable,
      ),
    ),
  );
  return opened.filter((r): r is LoadedRecord => r !== undefined).sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt));
}

/** A record and its opened header, from one read of its document. */
export interface LoadedRecord {
  record: RecordSummary;
  /** The patient's own header, or the copy an active grant gave the signed-in user. */
  header: RecordHeader;
}

/**
 * Reads a record's document once, for the signed-in user. `ownerOnly` names an operation only the
 * record's patient may do: anyone else is refused before any grant is looked up.
 */
export async function loadRecord(context: VaultContext, recordId: string, ownerOnly?: string): Promise<LoadedRecord> {
  const me = signedInAccount(context, ownerOnly ?? "openRecord");
  const document = await recordDocument(context, recordId);
  if (document.owner === me) {
    const header = await openRecordHeader(document.content.header, context.encryptionKey.secretKey, `record ${recordId}`);
    return { record: summaryOf(document, header), header };
  }
  if (ownerOnly) throw new OpenChartError("NOT_AUTHORIZED", `only the patient who owns record ${recordId} can ${ownerOnly}`);
  const header = await grantedHeader(context, me, document);
  return { record: summaryOf(document, header), header };
}

/** A record's summary, for its patient or a grantee. */
export async function getRecord(context: VaultContext, recordId: string): Promise<RecordSummary> {
  return (await loadRecord(context, recordId)).record;
}

/** Fetches, decrypts and verifies a record, streaming: for large files, pipe `content` to disk. */
export async function openRecord(
  context: VaultContext,
  recordId: string,
  options: { onProgress?: ProgressFn } = {},
): Promise<OpenedRecord> {
  return openLoadedRecord(context, await loadRecord(context, recordId), options);
}

/** `openRecord` for a record already loaded. */
export async function openLoadedRecord(
  context: VaultContext,
  { record, header }: LoadedRecord,
  options: { onProgress?: ProgressFn } = {},
): Promise<OpenedRecord> {
  const salt = header.salt;
  const ciphertext = context.blobs.cat(record.cid);
  const decrypted = decryptStream(ciphertext, contentKeyOf(header), {
    totalBytes: record.size,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { record, salt, content: verifiedAgainstCommitment(decrypted, record, salt) };
}

/** Passes the plaintext through and, at its end, checks it against the record's commitment. */
function verifiedAgainstCommitment(
  decrypted: ResultStream<DecryptResult>,
  record: RecordSummary,
  salt: Hex,
): ResultStream<DecryptResult> {
  let settle!: { resolve: (r: DecryptResult) => void; reject: (e: unknown) => void };
  const result = new Promise<DecryptResult>((resolve, reject) => (settle = { resolve, reject }));
  result.catch(() => undefined); // the iteration reports the same error to whoever reads
  async function* verified(): AsyncGenerator<Uint8Array> {
    try {
      yield* decrypted;
      const figures = await decrypted.result;
      checkCommitment(record, figures.sha256, salt);
      settle.resolve(figures);
    } catch (error) {
      settle.reject(error);
      throw error;
    }
  }
  const iterator = verified();
  return { [Symbol.asyncIterator]: () => iterator, result };
}

/** Reads a whole record into memory (small files; use `openRecord` to stream large ones). */
export async function readRecord(
  context: VaultContext,
  recordId: string,
  options: { onProgress?: ProgressFn } = {},
): Promise<{ record: RecordSummary; bytes: Uint8Array }> {
  return readLoadedRecord(context, await loadRecord(context, recordId), options);
}

/** `readRecord` for a record already loaded. */
export async function readLoadedRecord(
  context: VaultContext,
  loaded: LoadedRecord,
  options: { onProgress?: ProgressFn } = {},
): Promise<{ record: RecordSummary; bytes: Uint8Array }> {
  const { record, content } = await openLoadedRecord(context, loaded, options);
  const recordId = record.id;
  const bytes = new Uint8Array(record.size);
  let offset = 0;
  for await (const chunk of content) {
    if (offset + chunk.byteLength > bytes.byteLength) {
      throw new OpenChartError("TAMPERED", `record ${recordId} decrypted to more bytes than its recorded size`);
    }
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  if (offset !== bytes.byteLength) throw new OpenChartError("TRUNCATED", `record ${recordId} decrypted to fewer bytes than its recorded size`);
  return { record, bytes };
}

/** A rotated record, and the running grants that were given its new key. */
export interface RotatedRecord extends RecordSummary {
  rewrappedGrants: string[];
  /** The patient's grants this key could not open, so could not re-wrap (whether they hold the record is unknown). */
  unreadableGrants: UnreadableDocument[];
}

/**
 * Re-encrypts a record under a fresh key and points the record at the new ciphertext, then seals the new
 * key into every running grant that shares it: ended grants (revoked, expired) hold only the old key, so
 * former grantees cannot open the new version, and current ones go on opening it. The plaintext and its
 * commitment are unchanged.
 */
export async function rotateKey(
  context: VaultContext,
  recordId: string,
  options: { onProgress?: ProgressFn } = {},
): Promise<RotatedRecord> {
  const { record, header } = await loadRecord(context, recordId, "rotate its key");
  await reachable(context);
  const decrypted = decryptStream(context.blobs.cat(record.cid), contentKeyOf(header), { totalBytes: record.size });
  const newKey = newContentKey();
  const encrypted = encryptStream(decrypted, newKey, {
    totalBytes: record.size,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const stored = await context.blobs.add(encrypted);
  const [plain, reencrypted] = await Promise.all([decrypted.result, encrypted.result]);
  checkCommitment(record, plain.sha256, header.salt);
  if (reencrypted.sha256 !== plain.sha256) throw new OpenChartError("HASH_MISMATCH", "re-encryption saw different bytes than it decrypted");
  const rotated: RecordHeader = { ...header, cid: stored.cid, contentKey: contentKeyHex(newKey) };
  // Only on top of the version re-encrypted here: a rotation another tab made meanwhile stands (CONFLICT), while
  // a receipt stored meanwhile (the page's anchoring watch) is kept under the new key.
  const updated = await context.store.update(
    "SealedRecord",
    recordId,
    { header: await sealRecordHeader(rotated, context.encryptionKey.secretKey), keyVersion: record.keyVersion + 1 },
    { expect: { keyVersion: record.keyVersion } },
  );
  // The remote copy follows: the new ciphertext pinned, the old one (which former grantees' keys open) dropped.
  if (context.anchorServiceUrl) await movePin(context, record.cid, rotated);
  const unreadableGrants: UnreadableDocument[] = [];
  const rewrappedGrants = await rewrapActiveGrants(context, recordId, (grant) => unreadableGrants.push(grant));
  return { ...summaryOf(updated, rotated), rewrappedGrants, unreadableGrants };
}
