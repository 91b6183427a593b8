export { recordRegistryAbi, consentRegistryAbi } from "./abi.js";
export { anchorDirectly } from "./anchor.js";
export { connectRpc } from "./chain.js";
export { commitmentOf, documentSha256, newSalt, type DocumentBytes } from "./commitment.js";
export {
  CONSENT_DOMAIN_NAME,
  CONSENT_DOMAIN_VERSION,
  consentDomain,
  consentHistory,
  consentIdOf,
  consentRegistryAt,
  grantTypes,
  readConsent,
  revokeTypes,
  type ConsentEvent,
  type ConsentState,
  type ConsentStatus,
  type GrantMessage,
  type RevokeMessage,
} from "./consent.js";
export {
  grantSigner,
  revokeSigner,
  signGrant,
  signRevoke,
  type CompactSignature,
  type ConsentTarget,
} from "./consentSignature.js";
export { parseDeployment, type DeployedContract, type Deployment } from "./deployment.js";
export { OpenChartError, type OpenChartErrorCode } from "./errors.js";
export { isBytes32, toAddress, toBytes32, type Hex } from "./hex.js";
export { buildBatch, rootFromProof, treeLeafHash, type Batch } from "./merkle.js";
export { formatUtc, parseReceipt, verifyReceipt, type Receipt, type ReceiptCheck, type VerifyOptions } from "./receipt.js";
export * from "./crypto/index.js";
export { IMPORT_SETTINGS, connectIpfs, type AddResult, type BlobStore, type TransferOptions } from "./ipfs.js";
export type { ProgressFn } from "./progress.js";
export { ComposeDocumentStore, connectCeramic } from "./streams/composeStore.js";
export { runtimeDefinition } from "./streams/definition.generated.js";
export { privateKeyProvider } from "./streams/keyProvider.js";
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
export type { GrantSummary, SharedWithMe } from "./records/sharing.js";
export { DEFAULT_CERAMIC_URL, DEFAULT_IPFS_URL, RecordVault, type RecordVaultOptions } from "./records/vault.js";
export { generateEncryptionKey } from "./records/keys.js";
export { MAX_TITLE_LENGTH } from "./records/validate.js";
