// Every failure the app shows, in words a patient understands: API problem+json codes, sdk error codes,
// wallet refusals. One place, so the same failure always reads the same. The tables are keyed by the
// sdk's typed codes: a code added to the API or the sdk without a sentence here fails the type check.
import { isApiErrorCode, readProblem, type ApiErrorCode, type OpenChartErrorCode } from "@openchart/sdk";

/** An error already phrased for the person using the app. */
export class UserFacingError extends Error {
  override readonly name = "UserFacingError";
  constructor(
    message: string,
    /** The machine code behind it (API or sdk), kept for tests and support. */
    readonly code: string,
    /** What the server or library said, for the details disclosure. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

const API_SENTENCES: Record<ApiErrorCode, string> = {
  INVALID_REQUEST: "Something in the form is not valid.",
  UNAUTHORIZED: "Your sign-in has expired or was not accepted. Sign in again.",
  FORBIDDEN: "Your account is not allowed to do this.",
  NOT_FOUND: "We could not find it.",
  UNKNOWN_LEAF: "This record has not reached the anchoring service yet.",
  IDEMPOTENCY_KEY_REUSED: "This request was already sent with different details. Reload and try again.",
  IDEMPOTENCY_KEY_IN_USE: "This request is still being handled. Wait a moment and look again.",
  REQUEST_TIMEOUT: "The connection was too slow to send the request. Try again.",
  NOT_CONSENT_PARTY: "Only the patient and the doctor of this consent can do this.",
  URI_TOO_LONG: "The app sent a request the server could not read. Reload the page.",
  HEADERS_TOO_LARGE: "The app sent a request the server could not read. Sign in again.",
  UPSTREAM_FAILED: "A service OpenChart depends on failed. Try again later.",
  UPSTREAM_TIMEOUT: "A service OpenChart depends on did not answer in time. Try again later.",
  INVALID_SIGNATURE: "The signature did not match the key that controls this consent.",
  SIGNATURE_EXPIRED: "This request waited too long before it was sent. Try again.",
  LICENSE_EXISTS: "This doctor already holds a license with this number. Revoke it first, or tick Reissue to replace it.",
  CHAIN_REJECTED: "The blockchain refused this change.",
  SHL_UNKNOWN: "This health link does not exist (check that it was copied whole), or this file address was already used or is over an hour old.",
  SHL_INACTIVE: "This health link was revoked by the patient, has expired, or was locked after too many wrong passcodes.",
  SHL_PASSCODE: "The passcode is wrong.",
  SHL_WRONG_METHOD: "This health link is opened another way; it may be damaged.",
  SHL_TOO_MANY: "You keep the most active health links allowed. Revoke one you no longer need first.",
  RATE_LIMITED: "Too many requests in a short time. Wait a minute and try again.",
  ANCHOR_QUOTA_EXCEEDED: "You have anchored the most records allowed for today. Your records are saved; they will be anchored when you try again tomorrow.",
  PIN_UNKNOWN: "The pinning service has not been asked to keep this record yet; it is asked again now.",
  PIN_QUOTA_EXCEEDED: "You have asked the pinning service to keep the most records allowed for today. Your records are stored; try again tomorrow.",
  ANCHOR_BUDGET_SPENT: "The anchoring service has reached its daily limit. Your records are saved; anchoring resumes later.",
  PAYLOAD_TOO_LARGE: "This is too large to send.",
  UNSUPPORTED_MEDIA_TYPE: "The app sent something the server does not understand. Reload the page.",
  SERVICE_UNAVAILABLE: "The service is not available right now. Try again later.",
  INTERNAL: "The server had a problem. Try again later.",
  LICENSE_REFUSED: "This doctor's license could not be verified.",
  LICENSE_REQUIRED: "Present your medical license first (on your License page), then try again.",
  LICENSE_REVOKED: "Your medical license was revoked or suspended: you cannot join consults with it.",
  CONSENT_UNKNOWN: "We could not find this consent on the blockchain.",
  CONSENT_EXPIRED: "The patient's consent for this has expired.",
  CONSENT_REVOKED: "The patient revoked this consent.",
  CONSENT_NOT_EXTENDED: "This consent already lasts at least that long: a new expiry must be later.",
  WRAPPED_KEY_UNKNOWN: "This account has no key kept for new devices yet: sign in on a device you used before, or set one up now.",
  CALL_REPLACED: "You joined this call from another window or tab; it continues there.",
  WRONG_DEPLOYMENT: "This consent belongs to another OpenChart network. Tell the site's operator.",
  DEVICE_UNKNOWN: "This device no longer holds your key (it was signed out everywhere or forgotten): unlock it with your wallet.",
  TOO_MANY_DEVICES: "Your account already keeps the most devices allowed. Forget one you no longer use in Settings, then try again.",
  GUARDIANS_UNKNOWN: "This account has no guardians set, so it cannot be recovered through guardians.",
  RECOVERY_UNKNOWN: "We could not find this recovery request.",
  RECOVERY_PENDING: "A recovery request is already open: wait for it, or cancel it first.",
  NOT_GUARDIAN: "You are not one of this account's guardians: only its guardians can approve.",
  RECOVERY_WAITING: "The waiting period has not ended yet: guardians can approve once it has.",
  RECOVERY_CANCELLED: "This recovery request was cancelled.",
  RECOVERY_CLOSED: "This recovery is already completed.",
  ALREADY_APPROVED: "You have already approved this recovery.",
  NOT_ENOUGH_APPROVALS: "Not enough guardians have approved yet.",
  SLOT_TAKEN: "Someone else booked this time a moment ago. Choose another time.",
  SLOT_UNKNOWN: "This time is no longer offered. Show the open times again.",
  SLOT_IN_PAST: "This time has already started. Choose a later one.",
  SLOT_OVERLAP: "This time overlaps one you already offer. Choose another start or length.",
  SLOT_NOT_DOCTORS: "This time belongs to another doctor. Show the doctor's open times again.",
  APPOINTMENT_UNKNOWN: "We could not find this appointment among yours.",
  APPOINTMENT_CLOSED: "This appointment was already cancelled or moved. Reload to see where it stands.",
  PHARMACIST_REQUIRED: "Only a licensed pharmacist can do this: choose your pharmacist license, issued to this wallet.",
  PRESCRIPTION_REFUSED: "This prescription does not verify: do not dispense it.",
  PRESCRIPTION_CANCELLED: "The prescribing doctor cancelled this prescription: do not dispense it.",
  PRESCRIPTION_DISPENSED: "This prescription was already dispensed: it cannot be dispensed again.",
  NOT_PRESCRIBER: "Only the doctor who wrote this prescription can cancel it.",
};

const SDK_SENTENCES: Record<OpenChartErrorCode, string> = {
  RATE_LIMITED: "You already have several unanswered requests with this person: wait for an answer first.",
  INVALID_INPUT: "Something you entered is not valid.",
  INVALID_RECEIPT: "The receipt file is not a valid OpenChart receipt.",
  INVALID_DEPLOYMENT: "This site's contract addresses do not match the network. Tell the site's operator.",
  WRONG_NETWORK: "Your wallet is on another network.",
  NOT_FOUND: "We could not find it.",
  SERVICE_ERROR: "A service did not answer as expected. Try again later.",
  WRONG_KEY: "Your key cannot open this record: it was not shared with you, or the access was revoked.",
  TAMPERED: "This record's stored bytes were changed: it cannot be opened safely.",
  REORDERED: "This record's stored bytes were changed: it cannot be opened safely.",
  TRUNCATED: "This record's stored bytes are incomplete.",
  UNSUPPORTED_FORMAT: "This file is not in a format OpenChart can open.",
  HASH_MISMATCH: "The opened record does not match its fingerprint: it may have been altered.",
  UNREACHABLE: "The record storage is not reachable. Check your connection and try again.",
  REMOTE_ERROR: "The record storage answered with an error. Try again later.",
  CONFLICT: "Another device or tab changed this at the same time. Reload the page to see its change, then try again.",
  NOT_AUTHORIZED: "You are not allowed to open or change this.",
  WRONG_GUARDIAN: "One of the shares did not come from the guardian it names, or belongs to another account: it was not used.",
  DUPLICATE_SHARE: "The same guardian's share was counted twice: ask another guardian to approve.",
  NOT_ENOUGH_SHARES: "Not enough guardians have approved yet to open your records.",
  LINK_INVALID: "This is not a SMART Health Link this viewer can open: check that it was copied whole.",
  PASSCODE_REFUSED: "The passcode is wrong.",
  LINK_INACTIVE: "This health link was revoked by the patient, has expired, or was locked after too many wrong passcodes.",
};

/** The sentence for an API answer that was not OK, from its body (a problem document, or whatever came). */
export function problemError(status: number, body: unknown): UserFacingError {
  const problem = readProblem(body);
  const code = problem.code ?? (status === 404 ? "NOT_FOUND" : status >= 500 ? "INTERNAL" : "INVALID_REQUEST");
  const sentence = isApiErrorCode(code) ? API_SENTENCES[code] : "The server refused the request.";
  return new UserFacingError(sentence, code, problem.detail ?? problem.title);
}

/** Any thrown value, as a UserFacingError: wallet refusals (EIP-1193 4001), sdk codes, network failures. */
export function toUserError(error: unknown): UserFacingError {
  if (error instanceof UserFacingError) return error;
  const e = error as { code?: unknown; name?: unknown; message?: unknown; info?: { error?: { code?: unknown } } };
  const message = typeof e?.message === "string" ? e.message : String(error);
  const walletCode = typeof e?.code === "number" ? e.code : e?.info?.error?.code;
  if (walletCode === 4001 || e?.code === "ACTION_REJECTED") {
    return new UserFacingError("You declined the request in your wallet. Nothing was changed.", "USER_REJECTED", message);
  }
  if (e?.name === "OpenChartError" && isSdkErrorCode(e.code)) {
    return new UserFacingError(SDK_SENTENCES[e.code], e.code, message);
  }
  if (error instanceof TypeError && /fetch|network/i.test(message)) {
    return new UserFacingError("A service could not be reached. Check your connection and try again.", "NETWORK", message);
  }
  return new UserFacingError("Something went wrong.", "UNKNOWN", message);
}

function isSdkErrorCode(code: unknown): code is OpenChartErrorCode {
  return typeof code === "string" && Object.hasOwn(SDK_SENTENCES, code);
}

/** One line for an alert: the sentence, then the technical detail in brackets when there is one. */
export function describeError(error: unknown): string {
  const user = toUserError(error);
  return user.detail ? `${user.message} (${user.detail})` : user.message;
}
