// The API's wire contract: what api answers and web and the sdk's clients read, declared once (and the
// platform node's own route, stealth-headers.ts).
export { CodedError } from "./coded-error.js";
export { API_ERRORS, ProblemSchema, isApiErrorCode, problemTypeOf, readProblem, type ApiErrorCode, type Problem } from "./problem.js";
export { Address, Bytes32 } from "./primitives.js";
export { DID_MAX_LENGTH, DID_PATTERN, Did, didKeyMultibase, isAccountDid, isDid, parsePkhDid, type PkhAccount } from "./did.js";
export { withoutTrailingSlash } from "./url.js";
export {
  AcceptedLeafSchema,
  AnchoredLeafSchema,
  LeafStateSchema,
  PendingLeafSchema,
  SubmitResultSchema,
  type AcceptedLeaf,
  type AnchoredLeaf,
  type AnchoringState,
  type LeafState,
  type SubmitResult,
} from "./anchoring.js";
export { LicenseStateSchema, LicenseSummarySchema, SpecialtySchema, type LicenseState, type LicenseSummary, type Specialty } from "./licenses.js";
export { AuditHeadReceiptSchema, AuditHeadsSchema, type AuditHeadReceipt, type AuditHeads } from "./audit.js";
export {
  STEALTH_HEADERS_MAX_PAGE,
  STEALTH_HEADERS_PATH,
  StealthHeaderEntrySchema,
  StealthHeaderPageSchema,
  StealthHeadersRequestSchema,
  type StealthHeaderPage,
  type StealthHeadersRequest,
} from "./stealth-headers.js";
