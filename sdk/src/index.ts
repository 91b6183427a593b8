export { recordRegistryAbi, consentRegistryAbi } from "./abi.js";
export { anchorDirectly } from "./anchor.js";
export { completeReceipt, fetchReceipt, submitLeaves, type AnchorSigner, type ClientOptions } from "./anchor-client.js";
export { dropPin, fetchPin, listPins, requestPin } from "./pin-client.js";
export * from "./api/index.js";
export { connectRpc, revertReasonOf } from "./chain.js";
export { commitmentOf, documentSha256, newSalt, type DocumentBytes } from "./commitment.js";
export {
  CONSENT_DOMAIN_NAME,
  CONSENT_DOMAIN_VERSION,
  consentCommitmentOf,
  consentDomain,
  consentIdOf,
  consentIdOfOpening,
  consentKeyOf,
  consentRegistryAt,
  consentTimeline,
  exportConsentProof,
  grantTypes,
  newConsentOpening,
  parseConsentOpening,
  parseConsentProof,
  readConsent,
  revokeTypes,
  scopeOf,
  type ConsentEvent,
  type ConsentOpening,
  type ConsentProof,
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
} from "./consent-signature.js";
export { RELAY_SIGNATURE_SECONDS, consentGrantRequest, consentRevokeRequest, type ConsentRelayRequest, type ConsentRelayed } from "./consent-relay.js";
export { parseDeployment, type DeployedContract, type Deployment } from "./deployment.js";
export { MIN_PRIORITY_FEE_GWEI, WEI_PER_GWEI, capFees, feesWithin, gweiToWei, minPriorityFeeGweiOf, networkFees, type FeePolicy, type Fees } from "./fee-policy.js";
export { OpenChartError, type OpenChartErrorCode } from "./errors.js";
export { ADDRESS_PATTERN, BYTES32_PATTERN, isAddress, isBytes32, toAddress, toBytes32, type Hex } from "./hex.js";
export { auditEntryHash, findChainBreak, GENESIS_HASH, type AuditChainEntry, type ChainBreak } from "./audit-chain.js";
export { describeAuditVerdict, verifyAuditHeads, type AuditCheckInput, type AuditVerdict } from "./audit-verify.js";
export { buildBatch, rootFromProof, treeLeafHash, type Batch } from "./merkle.js";
export { ReceiptVerifier, type BulkCheck, type ReceiptCore } from "./receipt-verifier.js";
export { isDirectAnchor, readRootAnchor, rootAnchorRefusal, type AnchorRule, type AnchoredValue, type RootAnchor } from "./root-anchor.js";
export { describeReceiptCheck, formatUtc, parseReceipt, verifyReceipt, type Receipt, type ReceiptCheck, type VerifyOptions } from "./receipt.js";
export * from "./crypto/index.js";
export * from "./prescriptions/index.js";
export * from "./auth/index.js";
export { readServerSentEvents, type ServerSentEvent } from "./sse.js";
export { openVisitReason, sealVisitReason } from "./records/visit-reason.js";
export { askAssistant, type AskAssistantOptions, type AssistantAnswer, type AssistantMessage } from "./ai.js";
// The de-identifier itself is the "@openchart/sdk/deidentify" entry: its name recognizer (~150 KB gzip) loads only where used.
export type { Deidentified, DeidentifierOptions, PatientTerms, ReplacedSpan, Span, SpanClass, SpanGroup } from "./deidentify/index.js";
export * from "./keys/index.js";
export { newChatClientId, openChatEntry, sealChatText, type ChatMessage } from "./consult/chat.js";
export { LOINC_SYSTEM, RECORD_CATEGORIES, categoryLabel, type RecordCategoryCode } from "./records/categories.js";
export {
  CONSENT_ID_SYSTEM,
  RECORD_ID_SYSTEM,
  SHA256_EXTENSION,
  chartBundle,
  niUriOf,
  type ChartBundleInput,
  type ChartGrant,
  type ChartRecord,
} from "./fhir/chart-bundle.js";
export { FhirImportError, MAX_IMPORT_ENTRIES, planImport, type ImportItem, type ImportPlan } from "./fhir/import-plan.js";
export { formatBytes } from "./format-bytes.js";
