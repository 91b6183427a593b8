import { CodedError } from "@openchart/sdk/api";

/**
 * Every failure the agent reports carries a stable SCREAMING_SNAKE code, like the API's and the sdk's.
 * Thrown errors (`AgentError`) are for the issuer side and configuration; verification never throws and
 * returns `Reason`s. `AgentError` is the sdk's `CodedError` with the agent's codes (the API maps them to its own).
 */
export type AgentErrorCode =
  | "INVALID_CONFIG"
  | "INVALID_INPUT"
  | "ISSUER_NOT_INITIALIZED"
  | "CREDENTIAL_NOT_FOUND"
  | "STATUS_LIST_NOT_FOUND"
  | "STATUS_LIST_FULL";

export class AgentError extends CodedError<AgentErrorCode> {
  override readonly name = "AgentError";
}

export const invalidInput = (message: string): AgentError => new AgentError("INVALID_INPUT", message);

/** Why a presentation, credential or challenge was refused. */
export type ReasonCode =
  | "INVALID_REQUEST"
  | "VERIFICATION_ERROR"
  | "MALFORMED_PRESENTATION"
  | "MALFORMED_CREDENTIAL"
  | "UNSUPPORTED_DID_METHOD"
  | "PRESENTATION_SIGNATURE_INVALID"
  | "PRESENTATION_EXPIRED"
  | "MISSING_HOLDER"
  | "CHALLENGE_MISMATCH"
  | "DOMAIN_MISMATCH"
  /** An EIP-712 presentation signed under another EIP-712 domain (name, version or chain) than the verifier's. */
  | "SIGNING_DOMAIN_MISMATCH"
  | "CHALLENGE_UNKNOWN"
  | "CHALLENGE_EXPIRED"
  | "CHALLENGE_USED"
  | "NO_CREDENTIAL"
  | "CREDENTIAL_SIGNATURE_INVALID"
  | "CREDENTIAL_EXPIRED"
  | "CREDENTIAL_NOT_YET_VALID"
  | "CREDENTIAL_REVOKED"
  | "CREDENTIAL_SUSPENDED"
  | "STATUS_UNAVAILABLE"
  | "STATUS_LIST_UNKNOWN"
  | "UNTRUSTED_ISSUER"
  | "SUBJECT_NOT_HOLDER"
  | "WRONG_CREDENTIAL_TYPE"
  /** Prescriptions (verify/prescription.ts). */
  | "MALFORMED_PRESCRIPTION"
  | "PRESCRIPTION_SIGNATURE_INVALID"
  | "PRESCRIPTION_EXPIRED"
  | "PRESCRIPTION_NOT_YET_VALID"
  | "PRESCRIBER_NOT_LICENSED"
  | "PRESCRIPTION_CANCELLED"
  | "PRESCRIPTION_DISPENSED"
  | "PRESCRIPTION_NOT_REGISTERED";

export interface Reason {
  code: ReasonCode;
  message: string;
  /** Index of the embedded credential the reason is about, when it is about one. */
  credential?: number;
}

export const reason = (code: ReasonCode, message: string, credential?: number): Reason =>
  credential === undefined ? { code, message } : { code, message, credential };

/** The message of anything thrown, for reasons built from library failures. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
