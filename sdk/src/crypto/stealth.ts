// Stealth recipients (in the spirit of ERC-5564, over X25519): a document that carries something TO a person
// names no public value of theirs. The sender draws an ephemeral X25519 key per document and publishes its
// public half and a one-byte view tag of the ECDH secret with the recipient's published encryption key
// (did:key). The recipient recomputes the secret for each candidate: a tag mismatch (255 in 256) rules a
// document out after one X25519 and one hash, without decrypting; a match is confirmed by opening it.
//
//   shared       X25519(ephemeral secret, recipient key) = X25519(recipient secret, ephemeral key)
//   view tag     SHA-256("OpenChart view tag" || shared)[0], two lowercase hex digits
//   wrapping key HKDF-SHA256(shared, info "OpenChart stealth key v1" || ephemeral key || recipient key)
//   sealed       JSON { r: sealJson({k}, wrapping key), a: sealJson({k}, headerKeyOf(author secret)),
//                       c: sealJson(payload, k) }, with k a fresh random 32-byte key
//
// Every public value is fresh per document (ephemeral key, and the random nonces and IVs of the three JWEs),
// so two documents to one recipient share none; the view tag is 8 bits and collides by chance only.
// `a` lets the author reopen what they sent without keeping anything.
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, concatBytes, randomBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { base64urlToBytes, bytesToBase64url } from "../auth/base64url.js";
import { OpenChartError, invalidInput } from "../errors.js";
import { keyAgreementKeyOf } from "./did-key.js";
import { headerKeyOf, openJson, sealJson } from "./sealed-json.js";
import { x25519Agreement, x25519PublicKeyOf } from "./x25519-agreement.js";

export interface StealthHeader {
  /** The ephemeral X25519 public key, base64url (32 bytes). */
  ephemeralKey: string;
  /** Two lowercase hex digits: the first byte of SHA-256("OpenChart view tag" || ECDH secret). */
  viewTag: string;
}

export interface StealthSealed extends StealthHeader {
  /** JSON { r, a, c }: the key to the recipient, the key to the author, the payload under the key. */
  sealed: string;
}

const VIEW_TAG_LABEL = utf8ToBytes("OpenChart view tag");
const WRAP_INFO = utf8ToBytes("OpenChart stealth key v1");
const KEY_BYTES = 32;

function checkSecret(secret: Uint8Array, what: string): void {
  if (!(secret instanceof Uint8Array) || secret.length !== KEY_BYTES) throw invalidInput(`${what} is an X25519 secret key of ${KEY_BYTES} bytes`);
}

function viewTagOf(shared: Uint8Array): string {
  return bytesToHex(sha256(concatBytes(VIEW_TAG_LABEL, shared)).subarray(0, 1));
}

function wrappingKeyOf(shared: Uint8Array, ephemeralKey: Uint8Array, recipientKey: Uint8Array): Uint8Array {
  return hkdf(sha256, shared, undefined, concatBytes(WRAP_INFO, ephemeralKey, recipientKey), KEY_BYTES);
}

/** The header's ephemeral key as bytes, or undefined when the header is not well formed (so not for anyone). */
function ephemeralKeyOf(header: StealthHeader): Uint8Array | undefined {
  if (typeof header !== "object" || header === null || typeof header.ephemeralKey !== "string" || typeof header.viewTag !== "string") return undefined;
  if (!/^[0-9a-f]{2}$/.test(header.viewTag)) return undefined;
  const key = base64urlToBytes(header.ephemeralKey);
  return key?.length === KEY_BYTES ? key : undefined;
}

/** Seals `payload` (JSON) to the holder of `recipientKeyDid` (an X25519 did:key, or an Ed25519 one). */
export async function sealToRecipient(payload: unknown, recipientKeyDid: string, authorX25519Secret: Uint8Array): Promise<StealthSealed> {
  checkSecret(authorX25519Secret, "the author's key");
  const recipient = keyAgreementKeyOf(recipientKeyDid).publicKey;
  const ephemeralSecret = x25519.utils.randomSecretKey();
  const ephemeralKey = x25519.getPublicKey(ephemeralSecret);
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(ephemeralSecret, recipient);
  } catch {
    throw invalidInput(`recipient ${recipientKeyDid} is not a usable X25519 key (a low-order point)`);
  }
  const contentKey = randomBytes(KEY_BYTES);
  const key = { k: bytesToBase64url(contentKey) };
  const [r, a, c] = await Promise.all([
    sealJson(key, wrappingKeyOf(shared, ephemeralKey, recipient)),
    sealJson(key, headerKeyOf(authorX25519Secret)),
    sealJson(payload, contentKey),
  ]);
  return { ephemeralKey: bytesToBase64url(ephemeralKey), viewTag: viewTagOf(shared), sealed: JSON.stringify({ r, a, c }) };
}

/**
 * A fast test of many headers against one key: true when the view tag matches (about 1 in 256 documents not
 * for this key also match: confirm with `openAsRecipient`). Synchronous in Node, a promise with WebCrypto.
 */
export function stealthScanner(x25519Secret: Uint8Array): (header: StealthHeader) => Promise<boolean> | boolean {
  checkSecret(x25519Secret, "the scanning key");
  const sharedOf = x25519Agreement(x25519Secret);
  return (header) => {
    const ephemeralKey = ephemeralKeyOf(header);
    if (ephemeralKey === undefined) return false;
    const shared = sharedOf(ephemeralKey);
    if (shared instanceof Promise) return shared.then((s) => s !== undefined && viewTagOf(s) === header.viewTag);
    return shared !== undefined && viewTagOf(shared) === header.viewTag;
  };
}

interface SealedParts {
  r: string;
  a: string;
  c: string;
}

function partsOf(doc: StealthSealed): SealedParts | undefined {
  try {
    const parts = JSON.parse(doc.sealed) as Partial<SealedParts> | null;
    if (typeof parts?.r === "string" && typeof parts.a === "string" && typeof parts.c === "string") return parts as SealedParts;
  } catch {
    // not JSON: below
  }
  return undefined;
}

async function keyIn(sealed: string, key: Uint8Array): Promise<Uint8Array> {
  const { k } = await openJson<{ k?: unknown }>(sealed, key);
  const bytes = typeof k === "string" ? base64urlToBytes(k) : undefined;
  if (bytes?.length !== KEY_BYTES) throw new OpenChartError("TAMPERED", "stealth document holds no 32-byte key");
  return bytes;
}

async function payloadIn<T>(parts: SealedParts, contentKey: Uint8Array): Promise<T> {
  try {
    return await openJson<T>(parts.c, contentKey);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OpenChartError("TAMPERED", `stealth document's key opened but its payload did not: it was modified (${reason})`);
  }
}

/**
 * Opens a document sent to this key; null (quietly) when it is not for this key: the view tag differs, or
 * it matches by chance and the key check of the recipient part says another key. TAMPERED when it is for
 * this key (tag and key match) but fails authentication.
 */
export async function openAsRecipient<T>(doc: StealthSealed, x25519Secret: Uint8Array): Promise<T | null> {
  checkSecret(x25519Secret, "the recipient's key");
  const ephemeralKey = ephemeralKeyOf(doc);
  if (ephemeralKey === undefined) return null;
  const shared = await x25519Agreement(x25519Secret)(ephemeralKey);
  if (shared === undefined || viewTagOf(shared) !== doc.viewTag) return null;
  const parts = partsOf(doc);
  if (parts === undefined) return null; // a chance tag match on a document that is no stealth document
  const wrappingKey = wrappingKeyOf(shared, ephemeralKey, x25519PublicKeyOf(x25519Secret));
  let contentKey: Uint8Array;
  try {
    contentKey = await keyIn(parts.r, wrappingKey);
  } catch (error) {
    if (error instanceof OpenChartError && (error.code === "WRONG_KEY" || error.code === "UNSUPPORTED_FORMAT")) return null;
    throw error;
  }
  return payloadIn<T>(parts, contentKey);
}

/** Reopens a document its author sent (WRONG_KEY when this author did not send it, TAMPERED when modified). */
export async function openAsAuthor<T>(doc: StealthSealed, authorX25519Secret: Uint8Array): Promise<T> {
  checkSecret(authorX25519Secret, "the author's key");
  const parts = typeof doc?.sealed === "string" ? partsOf(doc) : undefined;
  if (parts === undefined) throw new OpenChartError("UNSUPPORTED_FORMAT", "not a stealth document (sealed is not JSON {r, a, c})");
  return payloadIn<T>(parts, await keyIn(parts.a, headerKeyOf(authorX25519Secret)));
}

