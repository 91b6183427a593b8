/** Every failure the sdk reports carries a stable code that callers can branch on. */
export type OpenChartErrorCode =
  | "INVALID_INPUT"
  | "INVALID_RECEIPT"
  | "INVALID_DEPLOYMENT"
  | "WRONG_NETWORK"
  | "NOT_FOUND"
  | "SERVICE_ERROR"
  /** The key does not open this ciphertext or key envelope. */
  | "WRONG_KEY"
  /** A chunk or header failed authentication: bytes were changed. */
  | "TAMPERED"
  /** Authentic chunks arrived, but in the wrong order or twice. */
  | "REORDERED"
  /** The ciphertext ended before its final chunk. */
  | "TRUNCATED"
  /** Not an OpenChart ciphertext, or a format version this sdk does not know. */
  | "UNSUPPORTED_FORMAT"
  /** The decrypted bytes do not have the SHA-256 the caller expected. */
  | "HASH_MISMATCH";

export class OpenChartError extends Error {
  override readonly name = "OpenChartError";
  constructor(
    readonly code: OpenChartErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function invalidInput(message: string): OpenChartError {
  return new OpenChartError("INVALID_INPUT", message);
}
