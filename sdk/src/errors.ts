import { CodedError } from "./api/coded-error.js";

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
  | "HASH_MISMATCH"
  /** Ceramic or IPFS did not answer at its URL. */
  | "UNREACHABLE"
  /** Ceramic or IPFS answered with an error. */
  | "REMOTE_ERROR"
  /** Another write changed the fields this one replaces (or was computed from) first: read again, then decide. */
  | "CONFLICT"
  /** The signed-in account may not do this (not signed in, not the owner, no active grant). */
  | "NOT_AUTHORIZED"
  /** Too many of something at once (a doctor's unanswered access requests to one patient). */
  | "RATE_LIMITED"
  /** A guardian share that is not the one its sender or this recovery names (another guardian, account or set). */
  | "WRONG_GUARDIAN"
  /** The same guardian's share given twice. */
  | "DUPLICATE_SHARE"
  /** Fewer guardian shares than the set's threshold: they open nothing. */
  | "NOT_ENOUGH_SHARES"
  /** Not a SMART Health Link this sdk can open (not `shlink:/`, a bad payload, a newer protocol version). */
  | "LINK_INVALID"
  /** A SMART Health Link's server refused the passcode (or none was given for a P-flag link). */
  | "PASSCODE_REFUSED"
  /** A SMART Health Link was revoked, has expired or is locked (its server answered 404, or its `exp` passed). */
  | "LINK_INACTIVE";

export class OpenChartError extends CodedError<OpenChartErrorCode> {
  override readonly name = "OpenChartError";
}

export function invalidInput(message: string): OpenChartError {
  return new OpenChartError("INVALID_INPUT", message);
}
export function notFound(message: string): OpenChartError {
  return new OpenChartError("NOT_FOUND", message);
}

/** A service could not be reached: says which endpoint and what to start, so the fix is obvious. */
export function unreachable(service: "Ceramic" | "IPFS", url: string, cause: unknown): OpenChartError {
  const setting = service === "Ceramic" ? "OPENCHART_CERAMIC_URL" : "OPENCHART_IPFS_URL";
  return new OpenChartError(
    "UNREACHABLE",
    `${service} is not reachable at ${url}: start the local node with \`npm run node:local\` or point ${setting} at a running ${service === "IPFS" ? "Kubo RPC API" : "Ceramic node"}`,
    { cause },
  );
}

/** A reachable service refused or failed a request. */
export function remoteError(service: "Ceramic" | "IPFS", url: string, detail: string, cause?: unknown): OpenChartError {
  return new OpenChartError("REMOTE_ERROR", `${service} at ${url} failed: ${detail}`, { cause });
}

/** A request to a service that threw: unreachable when the connection failed, else the service's failure (`detail`). */
export function requestFailure(service: "Ceramic" | "IPFS", url: string, detail: string, error: unknown): OpenChartError {
  return isConnectionFailure(error) ? unreachable(service, url, error) : remoteError(service, url, detail, error);
}

/** Network-level failures (refused, reset, DNS, timeout) as opposed to an answer from the service. */
export function isConnectionFailure(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_SOCKET)$/.test(code)) {
      return true;
    }
    if (/fetch failed|ECONNREFUSED|socket hang up|network error/i.test(current.message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
