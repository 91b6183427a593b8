import { ed25519 } from "@noble/curves/ed25519.js";
import { base58ToBytes, verifyJWS } from "did-jwt";
import { Resolver } from "did-resolver";
import * as KeyDidResolver from "key-did-resolver";
import { quote, refuse, type AuthFailure } from "./auth-failure.js";
import { base64urlToBytes, base64urlToJson } from "./base64url.js";
import { NONCE_PATTERN, SIGNED_REQUEST_TYP, type SignedRequestClaims } from "./signed-request-format.js";

/** Ed25519 (did-session's `authorize`) and P-256 (its browser `get`, WebCrypto keys). */
const ACCEPTED_ALGS = ["EdDSA", "ES256"];
export const MAX_JWS_CHARS = 4_096;

export interface RequestJws {
  compact: string;
  header: { alg: string; kid: string; cap?: string; typ: string };
  claims: SignedRequestClaims;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses a compact JWS and checks the types of its header and claims; no signature check yet. */
export function parseRequestJws(compact: string): RequestJws | AuthFailure {
  if (compact.length > MAX_JWS_CHARS) return refuse("MALFORMED_HEADER", `the JWS is longer than ${MAX_JWS_CHARS} characters`);
  const parts = compact.split(".");
  if (parts.length !== 3) return refuse("MALFORMED_HEADER", "the JWS is not three base64url parts joined by dots (compact form)");
  const header = base64urlToJson(parts[0]!);
  const claims = base64urlToJson(parts[1]!);
  if (!isRecord(header)) return refuse("MALFORMED_HEADER", "the JWS header is not base64url JSON");
  if (!isRecord(claims)) return refuse("MALFORMED_HEADER", "the JWS payload is not base64url JSON");
  if (header.typ !== SIGNED_REQUEST_TYP) {
    return refuse("MALFORMED_HEADER", `the JWS typ is ${quote(header.typ)}, not ${quote(SIGNED_REQUEST_TYP)}`);
  }
  if (typeof header.alg !== "string" || !ACCEPTED_ALGS.includes(header.alg)) {
    return refuse("MALFORMED_HEADER", `the JWS alg ${quote(header.alg)} is not one of ${ACCEPTED_ALGS.join(", ")}`);
  }
  if (typeof header.kid !== "string") return refuse("MALFORMED_HEADER", "the JWS header has no kid");
  if (header.cap !== undefined && typeof header.cap !== "string") return refuse("MALFORMED_HEADER", "the JWS cap is not a string");
  const { aud, method, path, bodySha256, iat, nonce } = claims;
  if (typeof aud !== "string" || typeof method !== "string" || typeof path !== "string" || typeof bodySha256 !== "string") {
    return refuse("MALFORMED_HEADER", "the JWS payload lacks aud, method, path or bodySha256 strings");
  }
  if (typeof iat !== "number" || !Number.isSafeInteger(iat)) return refuse("MALFORMED_HEADER", "the JWS iat is not an integer");
  if (typeof nonce !== "string" || !NONCE_PATTERN.test(nonce)) {
    return refuse("MALFORMED_HEADER", "the JWS nonce is not 16 to 64 base64url characters");
  }
  return {
    compact,
    header: { alg: header.alg, kid: header.kid, typ: header.typ, ...(header.cap === undefined ? {} : { cap: header.cap }) },
    claims: { aud, method, path, bodySha256, iat, nonce },
  };
}

const keyResolver = new Resolver(KeyDidResolver.getResolver());

/** The DID a `kid` belongs to: `did:key:z...#z...` -> `did:key:z...`. */
export function didOfKid(kid: string): string {
  const hash = kid.indexOf("#");
  return hash === -1 ? kid : kid.slice(0, hash);
}

/** The raw public key of an Ed25519 did:key (multicodec 0xed01), else undefined. */
export function ed25519KeyOf(did: string): Uint8Array | undefined {
  if (!did.startsWith("did:key:z6Mk")) return undefined;
  const bytes = base58ToBytes(did.slice("did:key:z".length));
  return bytes.length === 34 && bytes[0] === 0xed && bytes[1] === 0x01 ? bytes.subarray(2) : undefined;
}

// Ed25519, did-session's own session key, is checked directly (about half the time of the generic path);
// other did:key types go through key-did-resolver and did-jwt.
function verifyEd25519(jws: RequestJws, publicKey: Uint8Array): boolean {
  const [header, payload, signature] = jws.compact.split(".") as [string, string, string];
  const signatureBytes = base64urlToBytes(signature);
  if (signatureBytes?.length !== 64) return false;
  return ed25519.verify(signatureBytes, new TextEncoder().encode(`${header}.${payload}`), publicKey);
}

/** Verifies the JWS signature with the public key of its `kid` did:key (no network). */
export async function checkJwsSignature(jws: RequestJws): Promise<AuthFailure | undefined> {
  const did = didOfKid(jws.header.kid);
  try {
    const ed25519Key = jws.header.alg === "EdDSA" ? ed25519KeyOf(did) : undefined;
    if (ed25519Key !== undefined) {
      return verifyEd25519(jws, ed25519Key) ? undefined : refuse("BAD_JWS_SIGNATURE", `the JWS signature does not verify with ${quote(jws.header.kid)}`);
    }
    const resolution = await keyResolver.resolve(did);
    const methods = resolution.didDocument?.verificationMethod ?? [];
    if (methods.length === 0) {
      return refuse("BAD_JWS_SIGNATURE", `the JWS key ${quote(jws.header.kid)} does not resolve: ${resolution.didResolutionMetadata.error ?? "no key"}`);
    }
    verifyJWS(jws.compact, methods);
    return undefined;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return refuse("BAD_JWS_SIGNATURE", `the JWS signature does not verify with ${quote(jws.header.kid)}: ${detail}`);
  }
}
