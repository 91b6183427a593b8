import { invalidInput } from "../errors.js";
import { quote, refuse, type AuthFailure } from "./auth-failure.js";
import { decodeCacao } from "./cacao-codec.js";
import { asSiweCacao, checkCacaoClaims, checkCacaoSignature, type CacaoPolicy, type SessionIdentity } from "./cacao-checks.js";
import type { NonceStore } from "./nonce-store.js";
import { checkJwsSignature, didOfKid, parseRequestJws, type RequestJws } from "./request-jws.js";
import { AUTHORIZATION_SCHEME, CACAO_HEADER, bodySha256, normalizeMethod, type RequestToSign } from "./signed-request-format.js";
import type { CacaoSignatureCache } from "./verified-cacao-cache.js";

export type HeaderBag = Record<string, string | string[] | undefined> | { get(name: string): string | null };

/** A request as the server received it; `body` must be the raw bytes, before any JSON parsing. */
export interface IncomingRequest extends RequestToSign {
  headers: HeaderBag;
}

export interface VerifyRequestOptions {
  /** Domains a CACAO may be signed for, compared exactly: the web app's `host:port`; the app name of Node clients. */
  domain: string | readonly string[];
  /** The audience the JWS must name; defaults to `domain`. */
  audience?: string | readonly string[];
  /** Resources the CACAO must list, compared as exact strings. */
  resourcesRequired?: readonly string[];
  /** EIP-155 chain IDs accepted; any when absent. */
  chainIds?: readonly number[];
  now: Date | number;
  nonceStore: NonceStore;
  /** Skips the wallet signature check for CACAOs already verified (one per session). */
  verifiedCacaos?: CacaoSignatureCache;
  /** How old a request signature may be. Default 60 s. */
  maxAgeSeconds?: number;
  /** Tolerance for clocks ahead or behind, for CACAO times and the request timestamp. Default 30 s. */
  clockSkewSeconds?: number;
  /** The longest session (CACAO issuedAt to expirationTime) accepted. Default 7 days. */
  maxSessionSeconds?: number;
}

export interface VerifiedRequest extends SessionIdentity {
  ok: true;
  /** The request's nonce, already claimed in the nonce store. */
  nonce: string;
}

export const DEFAULT_MAX_AGE_SECONDS = 60;
export const DEFAULT_CLOCK_SKEW_SECONDS = 30;
export const DEFAULT_MAX_SESSION_SECONDS = 7 * 86_400;

function headerOf(headers: HeaderBag, name: string): string | string[] | undefined {
  if (typeof headers.get === "function") return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const bag = headers as Record<string, string | string[] | undefined>;
  if (name in bag) return bag[name];
  const key = Object.keys(bag).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : bag[key];
}

function readHeaders(headers: HeaderBag): { jws: string; cacao: string } | AuthFailure {
  const authorization = headerOf(headers, "authorization");
  const cacao = headerOf(headers, CACAO_HEADER);
  if (typeof authorization !== "string") return refuse("MALFORMED_HEADER", `one Authorization header "${AUTHORIZATION_SCHEME} <JWS>" is required`);
  if (typeof cacao !== "string") return refuse("MALFORMED_HEADER", `one ${CACAO_HEADER} header (base64url dag-cbor CACAO) is required`);
  const match = /^(\S+) +(\S+)$/.exec(authorization.trim());
  if (match === null || match[1]!.toLowerCase() !== AUTHORIZATION_SCHEME.toLowerCase()) {
    return refuse("MALFORMED_HEADER", `the Authorization header must be "${AUTHORIZATION_SCHEME} <JWS>"`);
  }
  return { jws: match[2]!, cacao: cacao.trim() };
}

function checkRequestBinding(
  jws: RequestJws,
  request: RequestToSign,
  audiences: readonly string[],
  nowMs: number,
  maxAgeSeconds: number,
  skewSeconds: number,
): AuthFailure | undefined {
  const { claims } = jws;
  if (!audiences.includes(claims.aud)) return refuse("WRONG_AUDIENCE", `the request was signed for ${quote(claims.aud)}; this API is ${audiences.join(", ")}`);
  if (claims.method !== normalizeMethod(request.method)) {
    return refuse("REQUEST_MISMATCH", `the request was signed as ${quote(claims.method)} but sent as ${quote(request.method)}`);
  }
  if (claims.path !== request.path) return refuse("REQUEST_MISMATCH", `the request was signed for path ${quote(claims.path)} but sent to ${quote(request.path)}`);
  if (claims.bodySha256 !== bodySha256(request.body)) return refuse("BODY_MISMATCH", "the body's SHA-256 differs from the one signed");
  const ageSeconds = nowMs / 1000 - claims.iat;
  if (ageSeconds > maxAgeSeconds) return refuse("STALE_TIMESTAMP", `the request was signed ${Math.round(ageSeconds)} s ago; at most ${maxAgeSeconds} s is accepted`);
  if (-ageSeconds > skewSeconds) return refuse("STALE_TIMESTAMP", `the request is signed ${Math.round(-ageSeconds)} s in the future`);
  return undefined;
}

function nonEmptyStrings(value: string | readonly string[] | undefined): boolean {
  const list = typeof value === "string" ? [value] : (value ?? []);
  return list.length > 0 && list.every((item) => typeof item === "string" && item.length > 0);
}

// A misconfigured verifier (a NaN clock passes every time check) must fail loudly, not accept quietly.
function checkOptions(options: VerifyRequestOptions): void {
  if (!Number.isFinite(Number(options.now))) throw invalidInput(`now must be a Date or epoch milliseconds, got ${quote(options.now)}`);
  if (!nonEmptyStrings(options.domain)) throw invalidInput("domain must name at least one accepted domain");
  if (options.audience !== undefined && !nonEmptyStrings(options.audience)) throw invalidInput("audience must name at least one accepted audience");
  if (typeof options.nonceStore?.claim !== "function") throw invalidInput("a nonceStore with claim() is required");
  const durations = [["maxAgeSeconds", options.maxAgeSeconds], ["clockSkewSeconds", options.clockSkewSeconds], ["maxSessionSeconds", options.maxSessionSeconds]] as const;
  for (const [name, value] of durations) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw invalidInput(`${name} must be a non-negative number of seconds`);
  }
}

/**
 * Verifies a session-signed request: the CACAO (SIWE wallet signature, domain, times, lifetime, resources), the JWS
 * (session key named by the CACAO, signature, audience, method, path, body hash, timestamp) and claims its
 * nonce. Never throws for what a client sent: every refusal comes back as `{ ok: false, code, reason }`.
 * Throws OpenChartError INVALID_INPUT only for invalid options (a configuration error of the server).
 */
export async function verifySignedRequest(request: IncomingRequest, options: VerifyRequestOptions): Promise<VerifiedRequest | AuthFailure> {
  checkOptions(options);
  const nowMs = Number(options.now);
  const skewSeconds = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const maxAgeSeconds = options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
  const policy: CacaoPolicy = {
    domain: options.domain,
    resourcesRequired: options.resourcesRequired,
    chainIds: options.chainIds,
    clockSkewSeconds: skewSeconds,
    maxSessionSeconds: options.maxSessionSeconds ?? DEFAULT_MAX_SESSION_SECONDS,
  };
  const audience = options.audience ?? options.domain;
  const audiences: readonly string[] = typeof audience === "string" ? [audience] : audience;
  try {
    if (typeof request.method !== "string" || typeof request.path !== "string" || request.headers === null || typeof request.headers !== "object") {
      return refuse("MALFORMED_HEADER", "the request lacks a method, path or headers");
    }
    const raw = readHeaders(request.headers);
    if ("ok" in raw) return raw;
    const jws = parseRequestJws(raw.jws);
    if ("ok" in jws) return jws;
    const decoded = await decodeCacao(raw.cacao);
    if (decoded === undefined) return refuse("MALFORMED_HEADER", `the ${CACAO_HEADER} header is not a base64url dag-cbor CACAO`);
    const cacao = asSiweCacao(decoded.value);
    if (typeof cacao === "string") return refuse("UNSUPPORTED_CACAO", cacao);

    // Cheap checks first; signatures only for requests that could otherwise pass.
    const identity = checkCacaoClaims(cacao, policy, nowMs);
    if ("ok" in identity) return identity;
    const binding = checkRequestBinding(jws, request, audiences, nowMs, maxAgeSeconds, skewSeconds);
    if (binding !== undefined) return binding;
    if (options.verifiedCacaos?.has(decoded.capability) !== true) {
      const cacaoSignature = checkCacaoSignature(cacao);
      if (cacaoSignature !== undefined) return cacaoSignature;
      options.verifiedCacaos?.add(decoded.capability);
    }
    if (didOfKid(jws.header.kid) !== identity.sessionKey) {
      return refuse("KEY_MISMATCH", `the JWS key ${quote(jws.header.kid)} is not the session key ${identity.sessionKey} the CACAO delegates to`);
    }
    if (jws.header.cap !== decoded.capability) {
      return refuse("KEY_MISMATCH", `the JWS names capability ${quote(jws.header.cap)}, not the CACAO sent (${decoded.capability})`);
    }
    const jwsSignature = await checkJwsSignature(jws);
    if (jwsSignature !== undefined) return jwsSignature;

    // Claimed last, so that requests refused for any other reason cannot burn a nonce.
    const nonceExpiresAt = (jws.claims.iat + maxAgeSeconds + skewSeconds) * 1000;
    let fresh: boolean;
    try {
      fresh = await options.nonceStore.claim(`${identity.sessionKey}:${jws.claims.nonce}`, nonceExpiresAt, nowMs);
    } catch (error) {
      return refuse("NONCE_STORE_ERROR", `the nonce store failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!fresh) return refuse("REPLAYED_NONCE", `the nonce ${quote(jws.claims.nonce)} was already used`);
    return { ok: true, ...identity, nonce: jws.claims.nonce };
  } catch (error) {
    // Only a library surprise lands here; it is still the request's input that caused it, so refuse.
    return refuse("MALFORMED_HEADER", `the request could not be verified: ${error instanceof Error ? error.message : String(error)}`);
  }
}
