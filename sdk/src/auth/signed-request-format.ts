import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToBase64url } from "./base64url.js";

/**
 * The wire format of a session-signed request, shared by the signer (web app) and the verifier (API).
 *
 *   Authorization: DIDSession <compact JWS by the session key>
 *   X-OpenChart-Cacao: <base64url of the CACAO's dag-cbor block>
 *
 * The JWS payload is `SignedRequestClaims` as JSON; its protected header carries `typ`, the session key
 * `kid`, and `cap` (ipfs://CID of the CACAO, set by `dids` for a DID with a capability).
 */
export const AUTHORIZATION_SCHEME = "DIDSession";
export const CACAO_HEADER = "x-openchart-cacao";
/** Keeps a JWS that the session key made for another purpose (a Ceramic commit) from passing as a request. */
export const SIGNED_REQUEST_TYP = "openchart-request+jws";

export interface SignedRequestClaims {
  /** The API the request is meant for (its origin or configured audience); another API refuses it. */
  aud: string;
  /** Upper-case HTTP method. */
  method: string;
  /** Path and query exactly as sent (`/consents?patient=0x..`), starting with "/". */
  path: string;
  /** base64url SHA-256 of the raw body bytes; the hash of zero bytes when there is no body. */
  bodySha256: string;
  /** Seconds since the epoch when the request was signed. */
  iat: number;
  /** Random, single use within the freshness window. */
  nonce: string;
}

/** What a request is, for signing and verifying: the verifier must pass the raw body bytes it received. */
export interface RequestToSign {
  method: string;
  /** Path and query, as the server will see them. */
  path: string;
  /** Raw bytes (or a string, hashed as UTF-8); absent or empty for requests without a body. */
  body?: Uint8Array | string | undefined;
}

export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export function bodySha256(body: Uint8Array | string | undefined): string {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : (body ?? new Uint8Array(0));
  return bytesToBase64url(sha256(bytes));
}

export function normalizeMethod(method: string): string {
  return method.toUpperCase();
}
