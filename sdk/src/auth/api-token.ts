import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { parsePkhDid } from "../api/did.js";
import { invalidInput } from "../errors.js";
import { quote, refuse, type AuthFailure } from "./auth-failure.js";
import { base64urlToBytes, base64urlToJson, bytesToBase64url, utf8ToBase64url } from "./base64url.js";
import type { SessionIdentity } from "./cacao-checks.js";

/**
 * A short-lived bearer token the API may hand out once a signed request proved the session, so that later
 * requests cost one HMAC instead of two signature checks. The trade: a token can be replayed until it
 * expires (keep the TTL short, send it over TLS only), while signed requests are single use.
 *
 *   token = base64url(JSON claims) "." base64url(HMAC-SHA-256(secret, first part))
 *
 * Only the API that holds the secret can issue or check it; the token is opaque to clients.
 */
export const API_TOKEN_PREFIX = "oct1";
export const DEFAULT_API_TOKEN_TTL_SECONDS = 300;
const MIN_SECRET_BYTES = 32;

interface ApiTokenClaims {
  sub: string;
  aud: string;
  sk: string;
  iat: number;
  exp: number;
}

export interface ApiTokenOptions {
  /** At least 32 random bytes, from the API's configuration. */
  secret: Uint8Array;
  /** The API's audience: a token issued for one API is refused by another with another audience. */
  audience: string;
  now: Date | number;
}

export interface IssueApiTokenOptions extends ApiTokenOptions {
  /** Default 300 s; never beyond the CACAO's own expiry. */
  ttlSeconds?: number;
}

export interface VerifiedApiToken {
  ok: true;
  did: string;
  address: string;
  chainId: number;
  sessionKey: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

function checkSecret(secret: Uint8Array): void {
  if (!(secret instanceof Uint8Array) || secret.length < MIN_SECRET_BYTES) {
    throw invalidInput(`the API token secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
}

function mac(secret: Uint8Array, body: string): Uint8Array {
  return hmac(sha256, secret, new TextEncoder().encode(body));
}

export function issueApiToken(identity: SessionIdentity, options: IssueApiTokenOptions): { token: string; expiresAt: number } {
  checkSecret(options.secret);
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_API_TOKEN_TTL_SECONDS;
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) throw invalidInput(`ttlSeconds must be a positive integer, got ${quote(ttlSeconds)}`);
  const iat = Math.floor(Number(options.now) / 1000);
  const exp = Math.min(iat + ttlSeconds, Math.floor(identity.expiresAt / 1000));
  const claims: ApiTokenClaims = { sub: identity.did, aud: options.audience, sk: identity.sessionKey, iat, exp };
  const body = `${API_TOKEN_PREFIX}.${utf8ToBase64url(JSON.stringify(claims))}`;
  return { token: `${body}.${bytesToBase64url(mac(options.secret, body))}`, expiresAt: exp * 1000 };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}


/** Checks a token's MAC, audience and expiry. Never throws for a bad token. */
export function verifyApiToken(token: unknown, options: ApiTokenOptions): VerifiedApiToken | AuthFailure {
  checkSecret(options.secret);
  if (typeof token !== "string" || token.length > 2_048) return refuse("BAD_TOKEN", "the token is not a string of at most 2048 characters");
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== API_TOKEN_PREFIX) return refuse("BAD_TOKEN", `the token is not an ${API_TOKEN_PREFIX} token`);
  const tag = base64urlToBytes(parts[2]!);
  if (tag === undefined || !equalBytes(tag, mac(options.secret, `${parts[0]}.${parts[1]}`))) {
    return refuse("BAD_TOKEN", "the token's MAC does not verify: it was altered or issued with another secret");
  }
  const claims = base64urlToJson(parts[1]!) as Partial<ApiTokenClaims> | undefined;
  // A token names its account in canonical form: a did:pkh with a lower-case address.
  const account = parsePkhDid(claims?.sub);
  if (claims === undefined || account === undefined || account.address !== account.address.toLowerCase() || typeof claims.exp !== "number" || typeof claims.sk !== "string") {
    return refuse("BAD_TOKEN", "the token's claims are malformed");
  }
  if (claims.aud !== options.audience) return refuse("BAD_TOKEN", `the token was issued for ${quote(claims.aud)}, not ${quote(options.audience)}`);
  if (claims.exp * 1000 <= Number(options.now)) return refuse("TOKEN_EXPIRED", `the token expired at ${new Date(claims.exp * 1000).toISOString()}`);
  return {
    ok: true,
    did: claims.sub!,
    address: account.address,
    chainId: account.chainId,
    sessionKey: claims.sk,
    expiresAt: claims.exp * 1000,
  };
}
