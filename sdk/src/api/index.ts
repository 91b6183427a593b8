// The API's wire contract: what api answers and web and the sdk's clients read, declared once (and the
// platform node's own route, stealth-headers.ts).
export { CodedError } from "./coded-error.js";
export { API_ERRORS, ProblemSchema, isApiErrorCode, problemTypeOf, readProblem, type ApiErrorCode, type Problem } from "./problem.js";
export { Address, Bytes32 } from "./primitives.js";
export { DID_MAX_LENGTH, DID_PATTERN, Did, didKeyMultibase, isAccountDid, isDid, normalizeAccountDid, parsePkhDid, type PkhAccount } from "./did.js";
export { withoutTrailingSlash } from "./url.js";
export {
  AcceptedLeafSchema,
  AnchoredLeafSchema,
  ConfirmingLeafSchema,
  LeafStateSchema,
  PendingLeafSchema,
  SubmitResultSchema,
  type AcceptedLeaf,
  type AnchoredLeaf,
  type AnchoringState,
  type ConfirmingLeaf,
  type LeafState,
  type SubmitResult,
} from "./anchoring.js";
export {
  CID_V1_PATTERN,
  CidV1,
  PIN_LIST_LIMIT,
  PinListSchema,
  PinRequestSchema,
  RemotePinSchema,
  RemotePinStatusSchema,
  type PinList,
  type PinRequest,
  type RemotePin,
  type RemotePinStatus,
} from "./pinning.js";
export { LicenseStateSchema, LicenseSummarySchema, SpecialtySchema, type LicenseState, type LicenseSummary, type Specialty } from "./licenses.js";
export { AuditHeadReceiptSchema, AuditHeadsSchema, type AuditHeadReceipt, type AuditHeads } from "./audit.js";
export {
  ApprovalBodySchema,
  GuardedAccountSchema,
  GuardianEntrySchema,
  GuardianSetBodySchema,
  GuardianSetViewSchema,
  GuardingSchema,
  MAX_GUARDIANS,
  MIN_GUARDIAN_THRESHOLD,
  RecoveryCompletedSchema,
  RecoveryListsSchema,
  RecoveryRequestBodySchema,
  RecoveryRequestViewSchema,
  RecoveryRoleSchema,
  RecoveryStateSchema,
  SEALED_SHARE_MAX_CHARS,
  type ApprovalBody,
  type GuardedAccount,
  type GuardianSetBody,
  type GuardianSetView,
  type Guarding,
  type RecoveryCompleted,
  type RecoveryLists,
  type RecoveryRequestBody,
  type RecoveryRequestView,
  type RecoveryRole,
  type RecoveryState,
} from "./recovery.js";
export {
  NOTIFICATION_KINDS,
  NotificationSchema,
  NotificationsSchema,
  type Notification,
  type NotificationDraft,
  type NotificationKind,
  type Notifications,
} from "./notifications.js";
export {
  DEVICE_ID_PATTERN,
  DEVICE_LABEL_MAX_CHARS,
  DeviceEntryBodySchema,
  DeviceEntrySchema,
  DeviceIdSchema,
  DeviceListSchema,
  DevicesRevokedSchema,
  DeviceSummarySchema,
  MAX_DEVICES,
  type DeviceEntry,
  type DeviceEntryBody,
  type DeviceList,
  type DevicesRevoked,
  type DeviceSummary,
} from "./devices.js";
export {
  STEALTH_HEADERS_MAX_PAGE,
  STEALTH_HEADERS_PATH,
  StealthHeaderEntrySchema,
  StealthHeaderPageSchema,
  StealthHeadersRequestSchema,
  type StealthHeaderPage,
  type StealthHeadersRequest,
} from "./stealth-headers.js";
export {
  PharmacyRequestSchema,
  PrescriptionCredentialBody,
  PrescriptionRegistrationSchema,
  PrescriptionStateSchema,
  PrescriptionStatusEntrySchema,
  PrescriptionVerdictSchema,
  type PharmacyRequest,
  type PrescriptionRegistration,
  type PrescriptionState,
  type PrescriptionVerdict,
} from "./prescriptions.js";
