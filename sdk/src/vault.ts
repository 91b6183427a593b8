// The record vault: IPFS storage, ComposeDB documents, sign-in, and the records built on them.
// A subpath of its own (`@openchart/sdk/vault`) because it brings the Ceramic and IPFS clients, which
// CommonJS consumers of the core (hardhat tasks, scripts) cannot load and do not need.
export { IMPORT_SETTINGS, connectIpfs, type AddResult, type BlobStore, type TransferOptions } from "./ipfs.js";
export type { ProgressFn } from "./progress.js";
export { ComposeDocumentStore, connectCeramic } from "./streams/compose-store.js";
export { runtimeDefinition } from "./streams/definition.generated.js";
export { privateKeyProvider } from "./streams/key-provider.js";
export {
  MODEL_NAMES,
  type AccessGrantContent,
  type ClinicalNoteContent,
  type EncryptionProfileContent,
  type GrantedKey,
  type MedicalRecordContent,
  type ModelContents,
  type ModelName,
  type StoredDocument,
} from "./streams/models.js";
export { defaultResources, didFromSeed, resumeWalletSession, signInWithEthereum, type WalletSession, type WalletSignInOptions } from "./streams/session.js";
export type { DocumentStore, ListOptions } from "./streams/store.js";
export { accountOf, type RecordSummary } from "./records/context.js";
export type { AddRecordInput, AddedRecord, OpenedRecord } from "./records/records.js";
export type { AnchoringState } from "./records/anchoring.js";
export type { GrantSummary, SharedWithMe } from "./records/sharing.js";
export { DEFAULT_CERAMIC_URL, DEFAULT_IPFS_URL, RecordVault, type RecordVaultOptions } from "./records/vault.js";
export { generateEncryptionKey } from "./records/keys.js";
export { MAX_NOTE_BYTES, type ClinicalNoteSummary, type WriteNoteInput } from "./records/notes.js";
export { MAX_TITLE_LENGTH } from "./records/validate.js";
