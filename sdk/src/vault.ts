// The record vault: IPFS storage, ComposeDB documents, sign-in, and the records built on them.
// A subpath of its own (`@openchart/sdk/vault`) because it brings the Ceramic and IPFS clients, which
// CommonJS consumers of the core (hardhat tasks, scripts) cannot load and do not need.
import type { DID } from "dids";
import type { EncryptionKeyPair } from "./crypto/index.js";
import { OpenChartError } from "./errors.js";
import { connectIpfs, type BlobStore } from "./ipfs.js";
import type { ProgressFn } from "./progress.js";
import type { Receipt } from "./receipt.js";
import { syncReceipt, type AnchoringState } from "./records/anchoring.js";
import { pinStates, submitPin, syncPin, type PinningState } from "./records/pinning.js";
import { withoutTrailingSlash } from "./api/url.js";
import { accountOf, type RecordSummary, type UnreadableDocument, type VaultContext } from "./records/context.js";
import { answerAccessRequest, listAccessRequests, listSentAccessRequests, requestAccess, type AccessDecision, type AccessRequest, type AccessRequestInput } from "./records/access-requests.js";
import { prescriptionInNote, type PrescriptionCredential } from "./prescriptions/credential.js";
import { listNotes, readNote, writeNote, type ClinicalNoteSummary, type WriteNoteInput } from "./records/notes.js";
import { exportReceipt } from "./records/receipt-export.js";
import {
  addRecord,
  getRecord,
  listRecords,
  loadRecord,
  openRecord,
  readRecord,
  rotateKey,
  type AddRecordInput,
  type AddedRecord,
  type OpenedRecord,
  type RotatedRecord,
  type UnreadableRecord,
} from "./records/records.js";
import { changeGrantRecords, extendGrant, rewrapActiveGrants } from "./records/grant-changes.js";
import { accessLogToken, openAccessLog, sealAccessReport, type AccessEvent, type ReportTarget } from "./records/access-reports.js";
import type { AccessLogEntry, SealedReport } from "./api/access-log.js";
import { adoptRecordsOf, type AdoptedRecords } from "./records/adopt-records.js";
import { encryptionKeyDidOf, listGrantsOf, listMyGrants, publishEncryptionProfile, revokeGrant, shareRecords, type GrantSummary, type ShareOptions } from "./records/sharing.js";
import { listSharedWithMe, type SharedWithMe } from "./records/shared-with-me.js";
import { openVisitReason, sealVisitReason } from "./records/visit-reason.js";
import { openPatientProfile, sealPatientProfile, type PatientProfile } from "./records/patient-profile.js";
import { connectCeramic } from "./streams/compose-store.js";
import { exportFhirBundle, importFhirBundle, type FhirExportOptions, type ImportResult } from "./records/chart.js";
import { exitArchive, type ExitArchiveOptions } from "./exit/archive.js";
import type { Bundle } from "@medplum/fhirtypes";
import type { DocumentStore } from "./streams/store.js";

export { IMPORT_SETTINGS, connectIpfs, type AddResult, type BlobStore, type TransferOptions } from "./ipfs.js";
export type { ProgressFn } from "./progress.js";
export { ComposeDocumentStore, connectCeramic } from "./streams/compose-store.js";
export { runtimeDefinition } from "./streams/definition.generated.js";
export { privateKeyProvider } from "./streams/key-provider.js";
export {
  MODEL_NAMES,
  type EncryptionProfileContent,
  type SealedGrantContent,
  type SealedNoteContent,
  type SealedRecordContent,
  type StealthContent,
  type ModelContents,
  type ModelName,
  type StoredDocument,
} from "./streams/models.js";
export { defaultResources, didFromSeed, resumeWalletSession, signInWithEthereum, type WalletSession, type WalletSignInOptions } from "./streams/session.js";
export type { DocumentStore, ListOptions, StealthHeaderPage } from "./streams/store.js";
export { accountOf, type RecordSummary, type StoredReceipt, type UnreadableDocument } from "./records/context.js";
export type { AddRecordInput, AddedRecord, OpenedRecord, RotatedRecord, UnreadableRecord } from "./records/records.js";
export type { AccessEvent, ReportTarget } from "./records/access-reports.js";
export type { StoredContent } from "./records/record-content.js";
export type { AnchoringState } from "./records/anchoring.js";
export type { PinningState } from "./records/pinning.js";
export type { AdoptedRecords } from "./records/adopt-records.js";
export type { GrantPayload, GrantSummary, GrantedRecord, ShareOptions } from "./records/sharing.js";
export {
  MAX_PATIENT_NAME_LENGTH,
  birthDateProblem,
  checkPatientProfile,
  openPatientProfile,
  patientNameProblem,
  sealPatientProfile,
  type PatientProfile,
} from "./records/patient-profile.js";
export type { SharedWithMe } from "./records/shared-with-me.js";
export type { RecordHeader } from "./records/record-header.js";
export { generateEncryptionKey } from "./records/keys.js";
export { opensAnyRecord, sampleRecords, type SampledRecord } from "./records/first-sign-in.js";
export {
  MAX_ACCESS_DAYS,
  MAX_OPEN_REQUESTS_PER_DOCTOR,
  MAX_REASON_CHARS,
  REQUEST_TTL_DAYS,
  type AccessAnswer,
  type AccessDecision,
  type AccessRequest,
  type AccessRequestInput,
} from "./records/access-requests.js";
export { MAX_NOTE_BYTES, type ClinicalNoteSummary, type WriteNoteInput } from "./records/notes.js";
export { MAX_TITLE_LENGTH } from "./records/validate.js";
export { DEFAULT_INLINE_BYTES, type FhirExportOptions, type ImportResult, type PrescriptionSource } from "./records/chart.js";
export type { ExitArchiveOptions } from "./exit/archive.js";

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
  /**
   * The OpenChart API (its anchoring queue): set it and every added record's commitment is anchored,
   * submitted signed by `did`'s session (a did-session DID, whose CACAO must name the API among its
   * resources; a DID without a session cannot anchor).
   */
  anchorServiceUrl?: string;
  /** The API's audience in signed requests (its `API_AUTH_AUDIENCE`); default `anchorServiceUrl`. */
  anchorAudience?: string;
  /** The ConsentRegistry shares are consented in: each share then carries a fresh consent opening to relay. */
  consentTarget?: { chainId: number; registry: string };
  store?: DocumentStore;
  blobs?: BlobStore;
}

/**
 * The encryption key's did:key that `account` has published, or undefined when it has published none:
 * the web app tells an existing user (whose wallet-derived key it adopts as their master) from a new one.
 */
export async function publishedEncryptionKeyDid(account: string, options: { ceramicUrl?: string; store?: DocumentStore } = {}): Promise<string | undefined> {
  const store = options.store ?? connectCeramic(options.ceramicUrl ?? DEFAULT_CERAMIC_URL);
  const [profile] = await store.listByOwner("EncryptionProfile", account);
  return profile?.content.keyDid;
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
      ...(options.consentTarget ? { consentTarget: options.consentTarget } : {}),
      ...(options.anchorServiceUrl
        ? {
            anchorServiceUrl: options.anchorServiceUrl,
            ...(options.did.hasCapability
              ? { anchorSigner: { session: { did: options.did, cacao: options.did.capability }, audience: options.anchorAudience ?? withoutTrailingSlash(options.anchorServiceUrl) } }
              : {}),
          }
        : {}),
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

  /** The did:key `account` receives on (its EncryptionProfile); NOT_FOUND when it published none. */
  encryptionKeyDidOf(account: string): Promise<string> {
    return encryptionKeyDidOf(this.context, account);
  }

  addRecord(input: AddRecordInput): Promise<AddedRecord> {
    return addRecord(this.context, input);
  }

  /** The signed-in patient's records (others' are sealed to them: a grantee sees shared ones in `listSharedWithMe`). */
  listRecords(onUnreadable?: (record: UnreadableRecord) => void): Promise<RecordSummary[]> {
    return listRecords(this.context, onUnreadable);
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

  /** The patient's profile sealed under their own key, for their other devices (the API may keep it: it cannot open it). */
  sealProfile(profile: PatientProfile): Promise<string> {
    return sealPatientProfile(profile, this.context.encryptionKey.secretKey);
  }

  /** Opens a profile `sealProfile` sealed with this account's key. */
  openProfile(sealed: string): Promise<PatientProfile> {
    return openPatientProfile(sealed, this.context.encryptionKey.secretKey);
  }

  shareRecords(recordIds: readonly string[], granteeDid: string, expiresAt: Date, options: ShareOptions = {}): Promise<GrantSummary> {
    return shareRecords(this.context, recordIds, granteeDid, expiresAt, options);
  }

  revokeGrant(grantId: string): Promise<GrantSummary> {
    return revokeGrant(this.context, grantId);
  }

  /** A running grant until a later time; extend its consent on the chain with the returned opening. */
  extendGrant(grantId: string, expiresAt: Date): Promise<GrantSummary> {
    return extendGrant(this.context, grantId, expiresAt);
  }

  /** A running grant replaced by one over other records (same grantee and expiry, a new consent opening); the old one revoked. */
  changeGrantRecords(grantId: string, recordIds: readonly string[]): Promise<{ replaced: GrantSummary; grant: GrantSummary }> {
    return changeGrantRecords(this.context, grantId, recordIds);
  }

  /** Seals a record's current key into every running grant that shares it (rotateKey does this itself). */
  rewrapActiveGrants(recordId: string, onUnreadable?: (grant: UnreadableDocument) => void): Promise<string[]> {
    return rewrapActiveGrants(this.context, recordId, onUnreadable);
  }

  /** A doctor's report of opening a shared record, sealed to its patient, for `POST /access-log/reports`. */
  sealAccessReport(target: ReportTarget, record: { id: string; title: string; keyVersion: number }): Promise<{ mailbox: string; report: SealedReport }> {
    return sealAccessReport(this.context, target, record);
  }

  /** The signed-in patient's access-log read token, for `POST /access-log/read`. */
  accessLogToken(): string {
    return accessLogToken(this.context);
  }

  /** The patient's access-log entries opened: who opened which record when. */
  openAccessLog(entries: readonly AccessLogEntry[]): Promise<AccessEvent[]> {
    return openAccessLog(this.context, entries);
  }

  /** The signed-in patient's own grants, with their consent openings; those this key cannot open go to `onUnreadable`. */
  listMyGrants(onUnreadable?: (grant: UnreadableDocument) => void): Promise<GrantSummary[]> {
    return listMyGrants(this.context, onUnreadable);
  }

  /**
   * After a guardian recovery (the vault's key is the recovered master's): writes the old account's record
   * index again under this DID, same headers, commitments and receipts. Safe to run again.
   */
  adoptRecordsOf(oldAccount: string): Promise<AdoptedRecords> {
    return adoptRecordsOf(this.context, oldAccount);
  }

  /** The grants `account` wrote that this vault's key opens as author: after a recovery, the old account's. */
  listGrantsOf(account: string, onUnreadable?: (grant: UnreadableDocument) => void): Promise<GrantSummary[]> {
    return listGrantsOf(this.context, account, onUnreadable);
  }

  listSharedWithMe(): Promise<SharedWithMe[]> {
    return listSharedWithMe(this.context);
  }

  rotateKey(recordId: string, options?: { onProgress?: ProgressFn }): Promise<RotatedRecord> {
    return rotateKey(this.context, recordId, options);
  }

  /**
   * Asks the anchoring service where the record's commitment stands: once anchored, stores the receipt's
   * public part in the record; if the service lost the commitment, submits it again.
   */
  async syncReceipt(recordId: string): Promise<AnchoringState> {
    const { record } = await loadRecord(this.context, recordId, "sync its receipt");
    return syncReceipt(this.context, record);
  }

  /**
   * Where the record's ciphertext stands at the API's remote pinning service (`off` when it has none);
   * asks again if the API lost the request.
   */
  async syncPin(recordId: string): Promise<PinningState> {
    const { record } = await loadRecord(this.context, recordId, "check its pinning");
    return syncPin(this.context, record);
  }

  /** Where each listed record's ciphertext stands at the remote pinning service, from one call (by record id). */
  pinStates(records: readonly RecordSummary[]): Promise<Record<string, PinningState>> {
    return pinStates(this.context, records);
  }

  /** Asks the remote pinning service again (a pin it failed is queued afresh). */
  async requestPin(recordId: string): Promise<PinningState> {
    const { record } = await loadRecord(this.context, recordId, "pin it");
    return submitPin(this.context, record);
  }

  /** The full receipt an auditor needs, once the record is anchored. */
  exportReceipt(recordId: string): Promise<Receipt> {
    return exportReceipt(this.context, recordId);
  }

  /** The signed-in patient's chart as a FHIR R4 Bundle, built on this device (small records inline). */
  exportFhirBundle(options?: FhirExportOptions): Promise<Bundle> {
    return exportFhirBundle(this.context, options);
  }

  /** Checks a FHIR Bundle whole (FhirImportError names the resource and path), then adds each record it holds, encrypted. */
  importFhirBundle(bundle: unknown, options?: { onProgress?: ProgressFn }): Promise<ImportResult> {
    return importFhirBundle(this.context, bundle, options);
  }

  /** Everything the signed-in patient owns as one streamed ZIP with an offline index.html (see docs: patient exit). */
  exitArchive(options?: ExitArchiveOptions): ReadableStream<Uint8Array> {
    return exitArchive(this.context, options);
  }

  /** A note or prescription about a patient, readable by the patient and its author only. */
  writeNote(input: WriteNoteInput): Promise<ClinicalNoteSummary> {
    return writeNote(this.context, input);
  }

  /** A doctor asks a patient for access (sealed to the patient, unlinkable like a grant). */
  requestAccess(input: AccessRequestInput, now?: Date): Promise<AccessRequest> {
    return requestAccess(this.context, input, now);
  }

  /** The requests the signed-in doctor sent, with the patients' answers. */
  listSentAccessRequests(now?: Date): Promise<AccessRequest[]> {
    return listSentAccessRequests(this.context, now?.getTime());
  }

  /** The open and answered requests sealed to the signed-in patient. */
  listAccessRequests(now?: Date): Promise<AccessRequest[]> {
    return listAccessRequests(this.context, now?.getTime());
  }

  /** Approve (share the chosen records for the days asked) or decline (with an optional sentence). */
  answerAccessRequest(requestId: string, decision: AccessDecision): Promise<{ request: AccessRequest; grant?: GrantSummary }> {
    return answerAccessRequest(this.context, requestId, decision);
  }

  /**
   * The e-prescriptions sealed to the signed-in patient (newest first), each a signed credential whose
   * `credentialSubject.medicationRequest` is the FHIR R4 MedicationRequest (what a chart export lists).
   */
  async listPrescriptions(): Promise<{ noteId: string; credential: PrescriptionCredential }[]> {
    const notes = (await this.listNotes()).filter((note) => note.kind === "prescription");
    const found = await Promise.all(notes.map(async (note) => ({ noteId: note.id, credential: prescriptionInNote((await this.readNote(note.id)).text) })));
    return found.filter((p): p is { noteId: string; credential: PrescriptionCredential } => p.credential !== null);
  }

  /** Notes about the signed-in patient, or the signed-in author's notes about `patient`. */
  listNotes(patient?: string): Promise<ClinicalNoteSummary[]> {
    return listNotes(this.context, patient);
  }

  readNote(noteId: string): Promise<{ note: ClinicalNoteSummary; text: string }> {
    return readNote(this.context, noteId);
  }

  /** The reason for a visit sealed to `doctor`'s published key (and to this vault's, as author): what an appointment carries. */
  async sealVisitReason(doctor: string, reason: string): Promise<string> {
    return sealVisitReason(reason, await encryptionKeyDidOf(this.context, doctor), this.context.encryptionKey.secretKey);
  }

  /** A sealed visit reason this vault's key received (the doctor) or wrote (the patient). */
  openVisitReason(sealedReason: string): Promise<string> {
    return openVisitReason(sealedReason, this.context.encryptionKey.secretKey);
  }
}
