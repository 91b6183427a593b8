import type { DID } from "dids";
import type { Receipt } from "../receipt.js";
import { exportReceipt, refreshReceipt, type AnchoringState } from "./anchoring.js";
import type { EncryptionKeyPair } from "../crypto/index.js";
import { OpenChartError } from "../errors.js";
import { connectIpfs, type BlobStore } from "../ipfs.js";
import type { ProgressFn } from "../progress.js";
import { connectCeramic } from "../streams/compose-store.js";
import type { DocumentStore } from "../streams/store.js";
import { accountOf, getRecord, type RecordSummary, type VaultContext } from "./context.js";
import { listNotes, readNote, writeNote, type ClinicalNoteSummary, type WriteNoteInput } from "./notes.js";
import { addRecord, listRecords, openRecord, readRecord, rotateKey, type AddRecordInput, type AddedRecord, type OpenedRecord } from "./records.js";
import {
  encryptionKeyDidOf,
  listSharedWithMe,
  publishEncryptionProfile,
  revokeGrant,
  shareRecords,
  type GrantSummary,
  type SharedWithMe,
} from "./sharing.js";

export const DEFAULT_CERAMIC_URL = "http://127.0.0.1:7007";
export const DEFAULT_IPFS_URL = "http://127.0.0.1:5001";

export interface RecordVaultOptions {
  /** The signed-in DID (did:pkh session or did:key) that writes the user's documents. */
  did: DID;
  /** The user's X25519 key pair (from `encryptionKeyFromProvider` or `deriveEncryptionKey`). */
  encryptionKey: EncryptionKeyPair;
  /** Ceramic node; default the local node, `http://127.0.0.1:7007`. Ignored when `store` is given. */
  ceramicUrl?: string;
  /** Kubo RPC API; default the local node, `http://127.0.0.1:5001`. Ignored when `blobs` is given. */
  ipfsUrl?: string;
  /** The OpenChart API (its anchoring queue): set it and every added record's commitment is anchored. */
  anchorServiceUrl?: string;
  store?: DocumentStore;
  blobs?: BlobStore;
}

/** One user's view of the record vault: their records, and those shared with them. */
export class RecordVault {
  private readonly context: VaultContext;

  constructor(options: RecordVaultOptions) {
    const store = options.store ?? connectCeramic(options.ceramicUrl ?? DEFAULT_CERAMIC_URL);
    store.setDID(options.did);
    const blobs = options.blobs ?? connectIpfs(options.ipfsUrl ?? DEFAULT_IPFS_URL);
    this.context = {
      store,
      blobs,
      encryptionKey: options.encryptionKey,
      ...(options.anchorServiceUrl ? { anchorServiceUrl: options.anchorServiceUrl } : {}),
    };
  }

  /** The account the vault acts for (the wallet's did:pkh, or a did:key). */
  get account(): string {
    return accountOf(this.context.store.did!);
  }

  /** Publishes the encryption key if the account has none or another one; returns the key's did:key. */
  async ensureEncryptionProfile(): Promise<string> {
    const published = await encryptionKeyDidOf(this.context, this.account).catch((error: unknown) => {
      if (error instanceof OpenChartError && error.code === "NOT_FOUND") return undefined;
      throw error;
    });
    if (published !== this.context.encryptionKey.did) await publishEncryptionProfile(this.context);
    return this.context.encryptionKey.did;
  }

  addRecord(input: AddRecordInput): Promise<AddedRecord> {
    return addRecord(this.context, input);
  }

  listRecords(owner?: string): Promise<RecordSummary[]> {
    return listRecords(this.context, owner);
  }

  getRecord(recordId: string): Promise<RecordSummary> {
    return getRecord(this.context, recordId);
  }

  openRecord(recordId: string, options?: { onProgress?: ProgressFn }): Promise<OpenedRecord> {
    return openRecord(this.context, recordId, options);
  }

  readRecord(recordId: string, options?: { onProgress?: ProgressFn }): Promise<{ record: RecordSummary; bytes: Uint8Array }> {
    return readRecord(this.context, recordId, options);
  }

  shareRecords(recordIds: readonly string[], granteeDid: string, expiresAt: Date): Promise<GrantSummary> {
    return shareRecords(this.context, recordIds, granteeDid, expiresAt);
  }

  revokeGrant(grantId: string): Promise<GrantSummary> {
    return revokeGrant(this.context, grantId);
  }

  listSharedWithMe(): Promise<SharedWithMe[]> {
    return listSharedWithMe(this.context);
  }

  rotateKey(recordId: string, options?: { onProgress?: ProgressFn }): Promise<RecordSummary> {
    return rotateKey(this.context, recordId, options);
  }

  /** Pending, or anchored (the receipt's chain part is then stored in the record). */
  refreshReceipt(recordId: string): Promise<AnchoringState> {
    return refreshReceipt(this.context, recordId);
  }

  /** The full receipt an auditor needs, once the record is anchored. */
  exportReceipt(recordId: string): Promise<Receipt> {
    return exportReceipt(this.context, recordId);
  }

  /** A note or prescription about a patient, readable by the patient and its author only. */
  writeNote(input: WriteNoteInput): Promise<ClinicalNoteSummary> {
    return writeNote(this.context, input);
  }

  /** Notes about the signed-in patient, or the signed-in author's notes about `patient`. */
  listNotes(patient?: string): Promise<ClinicalNoteSummary[]> {
    return listNotes(this.context, patient);
  }

  readNote(noteId: string): Promise<{ note: ClinicalNoteSummary; text: string }> {
    return readNote(this.context, noteId);
  }
}
