/**
 * Every failure the agent reports carries a stable code. Thrown errors (`AgentError`) are for the
 * issuer side and configuration; verification never throws and returns `Reason`s with the same codes.
 */
export type AgentErrorCode =
  | "INVALID_CONFIG"
  | "INVALID_INPUT"
  | "ISSUER_NOT_INITIALIZED"
  | "CREDENTIAL_NOT_FOUND"
  | "STATUS_LIST_NOT_FOUND"
  | "STATUS_LIST_FULL";

export class AgentError extends Error {
  override readonly name = "AgentError";
  constructor(
    readonly code: AgentErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const invalidInput = (message: string): AgentError => new AgentError("INVALID_INPUT", message);

/** Why a presentation, credential or challenge was refused. */
export type ReasonCode =
  | "invalid_request"
  | "verification_error"
  | "malformed_presentation"
  | "malformed_credential"
  | "unsupported_did_method"
  | "presentation_signature_invalid"
  | "presentation_expired"
  | "missing_holder"
  | "challenge_mismatch"
  | "domain_mismatch"
  /** An EIP-712 presentation signed under another EIP-712 domain (name, version or chain) than the verifier's. */
  | "signing_domain_mismatch"
  | "challenge_unknown"
  | "challenge_expired"
  | "challenge_used"
  | "no_credential"
  | "credential_signature_invalid"
  | "credential_expired"
  | "credential_not_yet_valid"
  | "credential_revoked"
  | "credential_suspended"
  | "status_unavailable"
  | "status_list_unknown"
  | "untrusted_issuer"
  | "subject_not_holder"
  | "wrong_credential_type";

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
