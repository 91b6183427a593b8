/**
 * Why a signed request was refused. Codes are stable (callers map them to problem+json types and audit
 * them); `reason` is a sentence for logs and humans and may change.
 */
export type AuthFailureCode =
  /** A header is missing, not in the expected format, or carries fields of the wrong type. */
  | "MALFORMED_HEADER"
  /** The CACAO is not a SIWE (eip4361) capability signed with eip191 by a did:pkh:eip155 account. */
  | "UNSUPPORTED_CACAO"
  /** The CACAO's account is on a chain this service does not accept. */
  | "WRONG_CHAIN"
  /** The CACAO's expirationTime has passed (or it has none: sessions must expire). */
  | "CACAO_EXPIRED"
  /** The CACAO's session lasts longer (expirationTime - issuedAt) than this service accepts. */
  | "SESSION_TOO_LONG"
  /** The CACAO's issuedAt or notBefore lies in the future. */
  | "CACAO_NOT_YET_VALID"
  /** The CACAO was signed for another domain than this service accepts. */
  | "WRONG_DOMAIN"
  /** The CACAO does not list a resource this service requires. */
  | "MISSING_RESOURCE"
  /** The wallet signature over the SIWE message does not recover to the CACAO's issuer (or the CACAO was altered). */
  | "BAD_CACAO_SIGNATURE"
  /** The JWS was not made by the session key the CACAO delegates to, or names another CACAO. */
  | "KEY_MISMATCH"
  /** The JWS signature does not verify with its session key. */
  | "BAD_JWS_SIGNATURE"
  /** The JWS was made for another audience (API). */
  | "WRONG_AUDIENCE"
  /** The JWS covers another method or path than the request's. */
  | "REQUEST_MISMATCH"
  /** The JWS covers another body than the request's. */
  | "BODY_MISMATCH"
  /** The JWS timestamp is outside the accepted window. */
  | "STALE_TIMESTAMP"
  /** The JWS nonce was already used. */
  | "REPLAYED_NONCE"
  /** The nonce store failed: not the caller's fault, answer 503 and retry. */
  | "NONCE_STORE_ERROR"
  /** The API token is malformed, altered, or issued by another API. */
  | "BAD_TOKEN"
  /** The API token is authentic but expired: sign a request again to get a new one. */
  | "TOKEN_EXPIRED";

export interface AuthFailure {
  ok: false;
  code: AuthFailureCode;
  reason: string;
}

export function refuse(code: AuthFailureCode, reason: string): AuthFailure {
  return { ok: false, code, reason };
}

/** A short, log-safe rendering of untrusted input for refusal reasons. */
export function quote(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
