import type { DID } from "dids";
import type { AnchorSigner } from "../anchor-client.js";
import { commitmentOf } from "../commitment.js";
import type { EncryptionKeyPair } from "../crypto/index.js";
import { OpenChartError, invalidInput, notFound } from "../errors.js";
import type { Hex } from "../hex.js";
import type { BlobStore } from "../ipfs.js";
import { parseAnchoredLeaf, type AnchoredLeaf } from "../receipt.js";
import type { StoredDocument } from "../streams/models.js";
import { assertStreamId } from "../streams/compose-store.js";
import type { RecordHeader } from "./record-header.js";
import type { DocumentStore } from "../streams/store.js";

/** What every record operation needs: where documents and bytes live, and who is acting. */
export interface VaultContext {
  store: DocumentStore;
  blobs: BlobStore;
  /** The user's X25519 key pair: opens envelopes addressed to them. */
  encryptionKey: EncryptionKeyPair;
  /** The OpenChart API whose anchoring queue timestamps commitments; none: records are not anchored. */
  anchorServiceUrl?: string;
  /** The user's did-session and the API's audience: the queue takes signed submissions only. */
  anchorSigner?: AnchorSigner;
  /** The ConsentRegistry a share's on-chain consent lives in; none: shares carry no consent opening. */
  consentTarget?: { chainId: number; registry: string };
  /** How long to wait for a grant's or note's sealed payload in IPFS; default PAYLOAD_TIMEOUT_MS (stealth-payload.ts). */
  payloadTimeoutMs?: number;
}

/**
 * A document of the signed-in user's that this device's key cannot open (sealed under another key, altered,
 * a format this sdk does not know, its sealed payload gone from IPFS), and why. Lists pass over such a
 * document and report it, so that one bad document does not hide the others.
 */
export interface UnreadableDocument {
  id: string;
  error: OpenChartError;
}

/**
 * Whether `error`, thrown while opening one document, says that document is unreadable. A service that does
 * not answer (UNREACHABLE) or answers with an error (REMOTE_ERROR) says nothing about the document: passing
 * over every document then would show an empty list, or skip a re-wrap, where trying again later works.
 */
function isUnreadable(error: unknown): error is OpenChartError {
  return error instanceof OpenChartError && error.code !== "UNREACHABLE" && error.code !== "REMOTE_ERROR";
}

/**
 * `open()` of document `id`, or undefined when it fails in a way that says the document is unreadable: the
 * document then goes to `onUnreadable`, so a list passes over it. Any other failure throws.
 */
export async function openOrReport<T>(id: string, open: () => Promise<T>, onUnreadable?: (document: UnreadableDocument) => void): Promise<T | undefined> {
  try {
    return await open();
  } catch (error) {
    if (!isUnreadable(error)) throw error;
    onUnreadable?.({ id, error });
    return undefined;
  }
}

/** A record as callers see it: its public document with its header opened. */
export interface RecordSummary {
  id: string;
  /** The patient's DID (the document's controller). */
  owner: string;
  cid: string;
  size: number;
  mediaType: string;
  title: string;
  category?: string;
  createdAt: string;
  keyVersion: number;
  commitment: Hex;
  /** The public part of the record's receipt, kept in the record once anchored (absent before). */
  receipt?: StoredReceipt;
}

/** A record's stored receipt, parsed: its anchoring coordinates, or why the stored text cannot be read. */
export type StoredReceipt = { status: "anchored"; anchored: AnchoredLeaf } | { status: "failed"; reason: string };

/** The account a DID acts for: the wallet's did:pkh for a session, else the DID itself. */
export function accountOf(did: DID): string {
  return did.hasParent ? did.parent : did.id;
}

export function signedInAccount(context: VaultContext, what: string): string {
  const did = context.store.did;
  if (!did?.authenticated) {
    throw new OpenChartError("NOT_AUTHORIZED", `${what} needs a signed-in DID: sign in before using the record vault`);
  }
  return accountOf(did);
}

export function summaryOf(document: StoredDocument<"SealedRecord">, header: RecordHeader): RecordSummary {
  const c = document.content;
  return {
    id: document.id,
    owner: document.owner,
    cid: header.cid,
    size: header.size,
    mediaType: header.mediaType,
    title: header.title,
    ...(header.category ? { category: header.category } : {}),
    createdAt: header.createdAt,
    keyVersion: c.keyVersion,
    commitment: c.commitment as Hex,
    ...(c.receipt ? { receipt: parseStoredReceipt(c.receipt) } : {}),
  };
}

function parseStoredReceipt(json: string): StoredReceipt {
  try {
    return { status: "anchored", anchored: parseAnchoredLeaf(JSON.parse(json)) };
  } catch {
    // A record whose receipt field is not ours is listed all the same, as unreadable.
    return { status: "failed", reason: "its anchoring receipt is unreadable" };
  }
}

/** The plaintext is the one committed to: its sha256 with the header's salt gives the stored leaf. */
export function checkCommitment(record: RecordSummary, sha256: Hex, salt: Hex): void {
  if (commitmentOf(sha256, salt) !== record.commitment.toLowerCase()) {
    throw new OpenChartError("HASH_MISMATCH", `record ${record.id} decrypted to bytes whose hash does not match its commitment`);
  }
}

export async function recordDocument(context: VaultContext, recordId: string): Promise<StoredDocument<"SealedRecord">> {
  assertStreamId(recordId, "record ID");
  const document = await context.store.get("SealedRecord", recordId);
  if (!document) throw notFound(`no medical record with ID ${recordId}`);
  return document;
}

export function checkRecordIds(recordIds: readonly string[]): string[] {
  if (!Array.isArray(recordIds) || recordIds.length === 0) throw invalidInput("name at least one record to share");
  if (recordIds.length > 100) throw invalidInput(`one grant shares at most 100 records, got ${recordIds.length}`);
  for (const id of recordIds) assertStreamId(id, "record ID");
  return [...new Set(recordIds)];
}
