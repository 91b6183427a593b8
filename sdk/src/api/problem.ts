import { Type, type Static } from "typebox";
import { Check } from "typebox/value";

/**
 * Every error code the API answers with: its HTTP status and a short title. Clients branch on the code;
 * the web keys its sentences by it, so a code added here without a sentence fails the web's type check.
 */
export const API_ERRORS = {
  INVALID_REQUEST: { status: 400, title: "The request is not valid" },
  UNAUTHORIZED: { status: 401, title: "Authentication required" },
  FORBIDDEN: { status: 403, title: "Not allowed" },
  UNKNOWN_LEAF: { status: 404, title: "Unknown leaf" },
  NOT_FOUND: { status: 404, title: "No such resource" },
  IDEMPOTENCY_KEY_REUSED: { status: 409, title: "Idempotency-Key reused with a different body" },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, title: "A request with this Idempotency-Key is still being processed" },
  INVALID_SIGNATURE: { status: 400, title: "The signature is not the signer's the request names" },
  SIGNATURE_EXPIRED: { status: 400, title: "The signature's deadline has passed" },
  CHAIN_REJECTED: { status: 409, title: "The contract refused the request" },
  REQUEST_TIMEOUT: { status: 408, title: "The request took too long to arrive" },
  LICENSE_EXISTS: { status: 409, title: "This doctor already holds a license with this number" },
  LICENSE_REFUSED: { status: 403, title: "The license credential was refused" },
  LICENSE_REQUIRED: { status: 403, title: "A verified license is required in this session" },
  NOT_CONSENT_PARTY: { status: 403, title: "Not a party to this consent" },
  LICENSE_REVOKED: { status: 403, title: "The license presented in this session was revoked or suspended" },
  CONSENT_UNKNOWN: { status: 404, title: "No consent on chain matches this request" },
  CONSENT_EXPIRED: { status: 403, title: "The consent has expired" },
  CONSENT_REVOKED: { status: 410, title: "The consent was revoked" },
  CONSENT_NOT_EXTENDED: { status: 409, title: "A grant may only move the consent's expiry later" },
  CALL_REPLACED: { status: 409, title: "The call was joined again from another window" },
  WRONG_DEPLOYMENT: { status: 400, title: "The consent belongs to another chain or registry" },
  WRAPPED_KEY_UNKNOWN: { status: 404, title: "No wrapped master key is kept for this account" },
  DEVICE_UNKNOWN: { status: 404, title: "This device holds no key for this account" },
  TOO_MANY_DEVICES: { status: 409, title: "This account keeps the most devices allowed" },
  GUARDIANS_UNKNOWN: { status: 404, title: "No guardians are set for this account" },
  RECOVERY_UNKNOWN: { status: 404, title: "No such recovery request" },
  RECOVERY_PENDING: { status: 409, title: "A recovery request for this account is still open" },
  NOT_GUARDIAN: { status: 403, title: "Not a guardian of this account" },
  RECOVERY_WAITING: { status: 409, title: "The recovery's waiting period has not ended" },
  RECOVERY_CANCELLED: { status: 410, title: "The recovery request was cancelled" },
  RECOVERY_CLOSED: { status: 409, title: "The recovery request is already completed" },
  ALREADY_APPROVED: { status: 409, title: "This guardian already approved" },
  NOT_ENOUGH_APPROVALS: { status: 409, title: "Fewer guardians approved than the threshold" },
  SHL_UNKNOWN: { status: 404, title: "No such SMART Health Link or file URL" },
  SHL_INACTIVE: { status: 404, title: "This SMART Health Link was revoked, has expired or is locked" },
  SHL_PASSCODE: { status: 401, title: "Wrong or missing passcode" },
  SHL_WRONG_METHOD: { status: 405, title: "This link is fetched another way (U flag: GET; otherwise POST)" },
  SHL_TOO_MANY: { status: 409, title: "This account keeps the most active links allowed" },
  SLOT_TAKEN: { status: 409, title: "This slot is already booked" },
  SLOT_UNKNOWN: { status: 404, title: "No such slot" },
  SLOT_IN_PAST: { status: 400, title: "The slot has already started" },
  SLOT_OVERLAP: { status: 409, title: "The slot overlaps another of this doctor's slots" },
  SLOT_NOT_DOCTORS: { status: 400, title: "The slot is not this doctor's" },
  APPOINTMENT_UNKNOWN: { status: 404, title: "No such appointment of this caller" },
  APPOINTMENT_CLOSED: { status: 409, title: "The appointment was already cancelled or moved" },
  PHARMACIST_REQUIRED: { status: 403, title: "A valid pharmacist license is required" },
  PRESCRIPTION_REFUSED: { status: 422, title: "The prescription does not verify" },
  PRESCRIPTION_CANCELLED: { status: 410, title: "The prescribing doctor cancelled this prescription" },
  PRESCRIPTION_DISPENSED: { status: 409, title: "This prescription was already dispensed" },
  NOT_PRESCRIBER: { status: 403, title: "Only the prescribing doctor may do this" },
  RATE_LIMITED: { status: 429, title: "Too many requests" },
  ANCHOR_QUOTA_EXCEEDED: { status: 429, title: "Daily anchoring quota used up" },
  ANCHOR_BUDGET_SPENT: { status: 503, title: "The anchoring service spent its daily gas budget" },
  PIN_UNKNOWN: { status: 404, title: "This caller asked no pin for this CID" },
  PIN_QUOTA_EXCEEDED: { status: 429, title: "Daily pinning quota used up" },
  PAYLOAD_TOO_LARGE: { status: 413, title: "Request body too large" },
  URI_TOO_LONG: { status: 414, title: "Request path too long" },
  HEADERS_TOO_LARGE: { status: 431, title: "Request headers too large" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "Unsupported media type" },
  SERVICE_UNAVAILABLE: { status: 503, title: "Service unavailable" },
  UPSTREAM_FAILED: { status: 502, title: "A service the API depends on failed" },
  UPSTREAM_TIMEOUT: { status: 504, title: "A service the API depends on did not answer in time" },
  INTERNAL: { status: 500, title: "Internal error" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;

export const isApiErrorCode = (code: unknown): code is ApiErrorCode => typeof code === "string" && Object.hasOwn(API_ERRORS, code);

/** The `type` URI of a code's problem documents. */
export const problemTypeOf = (code: ApiErrorCode): string => `https://openchart.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`;

/** RFC 9457 problem document (`application/problem+json`) with a stable `code`: the body of every API error. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.String(),
    /** SHL_PASSCODE only: the SMART Health Links IG's count of wrong passcodes the link still takes. */
    remainingAttempts: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { description: "RFC 9457 problem document with a stable `code`" },
);
export type Problem = Static<typeof ProblemSchema>;

const PartialProblem = Type.Partial(ProblemSchema);

/**
 * Reads a body that should be a problem document. A proxy's error page or a truncated body may carry some
 * fields or none: what is there is kept when well typed, so a caller still branches on what came.
 */
export function readProblem(body: unknown): Partial<Problem> {
  return Check(PartialProblem, body) ? body : {};
}
