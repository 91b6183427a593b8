// The on-chain part first: the tasks load it alone as "@openchart/sdk/onchain" (onchain.ts).
export * from "./onchain.js";
export { completeReceipt, fetchReceipt, submitLeaves, type AnchorSigner, type ClientOptions } from "./anchor-client.js";
export { dropPin, fetchPin, listPins, requestPin } from "./pin-client.js";
export * from "./api/index.js";
export { RELAY_SIGNATURE_SECONDS, consentGrantRequest, consentRevokeRequest, type ConsentRelayRequest, type ConsentRelayed } from "./consent-relay.js";
export { auditEntryHash, findChainBreak, GENESIS_HASH, type AuditChainEntry, type ChainBreak } from "./audit-chain.js";
export { describeAuditVerdict, verifyAuditHeads, type AuditCheckInput, type AuditVerdict } from "./audit-verify.js";
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
