import { SiweMessage, type Cacao } from "@didtools/cacao";
import { verifyMessage } from "ethers";
import { didKeyMultibase, parsePkhDid } from "../api/did.js";
import { quote, refuse, type AuthFailure } from "./auth-failure.js";

/** A SIWE CACAO whose fields have the right types (not yet checked against time, domain or signature). */
export interface SiweCacao {
  h: { t: "eip4361" };
  p: {
    domain: string;
    iss: string;
    aud: string;
    version: string;
    nonce: string;
    iat: string;
    nbf?: string;
    exp?: string;
    statement?: string;
    requestId?: string;
    resources?: string[];
  };
  s: { t: "eip191"; s: string };
}

/** Who signed in, read from a CACAO that passed every check. */
export interface SessionIdentity {
  /** `did:pkh:eip155:<chainId>:<address>`, address lower-cased so that equal accounts compare equal. */
  did: string;
  /** Lower-case 0x address of the wallet that signed the CACAO. */
  address: string;
  chainId: number;
  /** The session key (did:key) the CACAO delegates to: the only key whose JWS is accepted. */
  sessionKey: string;
  /** Milliseconds since the epoch when the CACAO expires. */
  expiresAt: number;
}

export interface CacaoPolicy {
  /** Domains the SIWE message may name, compared exactly: the web app's `host:port` (as `location.host`
   * shows it), or the app name of a Node client. */
  domain: string | readonly string[];
  /** Resources the CACAO must list, compared as exact strings. */
  resourcesRequired?: readonly string[] | undefined;
  /** EIP-155 chain IDs accepted; any when absent. */
  chainIds?: readonly number[] | undefined;
  /** Tolerance for clocks that disagree, applied to issuedAt, notBefore and expirationTime. */
  clockSkewSeconds: number;
  /** The longest session accepted, from issuedAt to expirationTime: a stolen session key dies with it. */
  maxSessionSeconds: number;
}


function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === "string";
}

/** Checks the shape only; a string names the first problem found. */
export function asSiweCacao(value: unknown): SiweCacao | string {
  if (!isRecord(value) || !isRecord(value.h) || !isRecord(value.p) || !isRecord(value.s)) return "the CACAO is not a {h, p, s} object";
  if (value.h.t !== "eip4361") return `the CACAO header type is ${quote(value.h.t)}, not "eip4361" (SIWE)`;
  if (value.s.t !== "eip191" || typeof value.s.s !== "string") return `the CACAO signature type is ${quote(value.s.t)}, not "eip191"`;
  const p = value.p;
  for (const field of ["domain", "iss", "aud", "version", "nonce", "iat"] as const) {
    if (typeof p[field] !== "string") return `the CACAO payload field ${field} is missing or not a string`;
  }
  for (const field of ["nbf", "exp", "statement", "requestId"] as const) {
    if (!optionalString(p[field])) return `the CACAO payload field ${field} is not a string`;
  }
  if (p.resources !== undefined && !(Array.isArray(p.resources) && p.resources.every((r) => typeof r === "string"))) {
    return "the CACAO resources are not a list of strings";
  }
  return value as unknown as SiweCacao;
}

function parseTime(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Date.parse(text);
}

/**
 * Every check of a CACAO except its signature, cheapest first. Returns the identity it would grant, or the
 * first refusal.
 */
export function checkCacaoClaims(cacao: SiweCacao, policy: CacaoPolicy, nowMs: number): SessionIdentity | AuthFailure {
  const account = parsePkhDid(cacao.p.iss);
  if (account === undefined) return refuse("UNSUPPORTED_CACAO", `the CACAO issuer ${quote(cacao.p.iss)} is not a did:pkh:eip155 account`);
  if (didKeyMultibase(cacao.p.aud) === undefined) return refuse("UNSUPPORTED_CACAO", `the CACAO audience ${quote(cacao.p.aud)} is not a did:key session key`);
  const { chainId } = account;
  const address = account.address.toLowerCase();
  if (policy.chainIds !== undefined && !policy.chainIds.includes(chainId)) {
    return refuse("WRONG_CHAIN", `the CACAO is for chain ${chainId}; accepted: ${policy.chainIds.join(", ")}`);
  }

  const domains: readonly string[] = typeof policy.domain === "string" ? [policy.domain] : policy.domain;
  if (!domains.includes(cacao.p.domain)) {
    return refuse("WRONG_DOMAIN", `the CACAO was signed for domain ${quote(cacao.p.domain)}; accepted: ${domains.join(", ")}`);
  }

  const issuedAt = parseTime(cacao.p.iat);
  const notBefore = parseTime(cacao.p.nbf);
  const expiresAt = parseTime(cacao.p.exp);
  if (Number.isNaN(issuedAt) || Number.isNaN(notBefore) || Number.isNaN(expiresAt)) {
    return refuse("MALFORMED_HEADER", "a CACAO time (iat, nbf or exp) is not an ISO 8601 date");
  }
  const skewMs = policy.clockSkewSeconds * 1000;
  if (expiresAt === undefined) return refuse("CACAO_EXPIRED", "the CACAO has no expirationTime; sessions must expire");
  if (expiresAt + skewMs <= nowMs) return refuse("CACAO_EXPIRED", `the CACAO expired at ${cacao.p.exp}`);
  if (issuedAt! > nowMs + skewMs) return refuse("CACAO_NOT_YET_VALID", `the CACAO is issued at ${cacao.p.iat}, in the future`);
  if (expiresAt - issuedAt! > policy.maxSessionSeconds * 1000) {
    const days = (expiresAt - issuedAt!) / 86_400_000;
    return refuse("SESSION_TOO_LONG", `the CACAO's session lasts ${days.toFixed(1)} days (${cacao.p.iat} to ${cacao.p.exp}); at most ${policy.maxSessionSeconds} s is accepted`);
  }
  if (notBefore !== undefined && notBefore > nowMs + skewMs) {
    return refuse("CACAO_NOT_YET_VALID", `the CACAO is not valid before ${cacao.p.nbf}`);
  }

  const resources = cacao.p.resources ?? [];
  const missing = (policy.resourcesRequired ?? []).filter((resource) => !resources.includes(resource));
  if (missing.length > 0) return refuse("MISSING_RESOURCE", `the CACAO does not list the resource(s) ${missing.map((r) => quote(r)).join(", ")}`);

  return { did: `did:pkh:eip155:${chainId}:${address}`, address, chainId, sessionKey: cacao.p.aud, expiresAt };
}

/**
 * Verifies the wallet's EIP-191 signature over the SIWE message the CACAO stands for: what
 * `Cacao.verify` with @didtools/pkh-ethereum's eip191 verifier checks (minus its pre-2022 legacy format),
 * trying the EIP-55 rendering first because did-session's Ethereum auth methods sign that one. One
 * secp256k1 recovery instead of two for every did-session CACAO; the tests compare both verifiers.
 */
export function checkCacaoSignature(cacao: SiweCacao): AuthFailure | undefined {
  const issuer = parsePkhDid(cacao.p.iss)?.address.toLowerCase();
  try {
    const message = SiweMessage.fromCacao(cacao as unknown as Cacao);
    for (const text of [message.toMessageEip55(), message.toMessage()]) {
      if (verifyMessage(text, cacao.s.s).toLowerCase() === issuer) return undefined;
    }
    return refuse("BAD_CACAO_SIGNATURE", `the CACAO signature does not recover to its issuer ${cacao.p.iss}`);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return refuse("BAD_CACAO_SIGNATURE", `the CACAO signature is not a valid EIP-191 signature: ${detail}`);
  }
}
