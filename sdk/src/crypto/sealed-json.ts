// A JSON value sealed under a symmetric key: a JWE in JSON serialization with alg "dir" and enc "XC20P"
// (XChaCha20-Poly1305, did-jwt's xc20pDir), as a string fit for a public document field.
//
// XChaCha20-Poly1305 does not commit to its key, and with "dir" there is no recipient to compare, so on its
// own a failed open cannot say "wrong key" from "modified". The protected header therefore carries a key check:
// a random nonce `kn` and `kc` = HMAC-SHA-256(key, label || kn), first 16 bytes. The nonce is fresh per seal,
// so two values sealed under one key share no public value (a fixed key ID would link them).
import { createJWE, decryptJWE, xc20pDirDecrypter, xc20pDirEncrypter, type JWE } from "did-jwt";
import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, randomBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { base64urlToBytes, base64urlToJson, bytesToBase64url } from "../auth/base64url.js";
import { OpenChartError, invalidInput } from "../errors.js";

const HEADER_KEY_INFO = utf8ToBytes("OpenChart sealed header key v1");
const KEY_CHECK_LABEL = utf8ToBytes("OpenChart sealed JSON key check v1");
const KEY_BYTES = 32;
const KEY_CHECK_BYTES = 16;
const NONCE_BYTES = 16;

function checkKey(key: Uint8Array, what = "a sealing key"): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    throw invalidInput(`${what} is ${KEY_BYTES} bytes, got ${key instanceof Uint8Array ? key.length : typeof key}`);
  }
}

/** The key a user seals their own headers with, derived from their X25519 secret (never the secret itself). */
export function headerKeyOf(x25519SecretKey: Uint8Array): Uint8Array {
  checkKey(x25519SecretKey, "an X25519 secret key");
  return hkdf(sha256, x25519SecretKey, undefined, HEADER_KEY_INFO, KEY_BYTES);
}

function keyCheckOf(key: Uint8Array, nonce: Uint8Array): Uint8Array {
  return hmac(sha256, key, concatBytes(KEY_CHECK_LABEL, nonce)).subarray(0, KEY_CHECK_BYTES);
}

/** Seals a JSON value (anything `JSON.stringify` keeps) under a 32-byte key. */
export async function sealJson(value: unknown, key: Uint8Array): Promise<string> {
  checkKey(key);
  const json = JSON.stringify(value);
  if (json === undefined) throw invalidInput("sealJson takes a JSON value (not undefined, a function or a symbol)");
  const nonce = randomBytes(NONCE_BYTES);
  const header = { kn: bytesToBase64url(nonce), kc: bytesToBase64url(keyCheckOf(key, nonce)) };
  return JSON.stringify(await createJWE(utf8ToBytes(json), [xc20pDirEncrypter(key)], header));
}

/**
 * Opens what `sealJson` sealed. Errors: INVALID_INPUT (not a string, bad key), UNSUPPORTED_FORMAT (not such
 * a JWE), WRONG_KEY (the key check says another key sealed it), TAMPERED (right key, failed authentication).
 */
export async function openJson<T>(sealed: string, key: Uint8Array): Promise<T> {
  checkKey(key);
  if (typeof sealed !== "string") throw invalidInput(`a sealed value is a string, got ${typeof sealed}`);
  const { jwe, nonce, keyCheck } = parseSealed(sealed);
  const expected = keyCheckOf(key, nonce);
  let diff = keyCheck.length ^ KEY_CHECK_BYTES;
  for (let i = 0; i < KEY_CHECK_BYTES; i++) diff |= expected[i]! ^ (keyCheck[i] ?? 0);
  if (diff !== 0) throw new OpenChartError("WRONG_KEY", "this key does not open the sealed value (key check mismatch)");
  let cleartext: Uint8Array;
  try {
    cleartext = await decryptJWE(jwe, xc20pDirDecrypter(key));
  } catch {
    throw new OpenChartError("TAMPERED", "sealed value failed authentication under its key: it was modified");
  }
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(cleartext)) as T;
  } catch {
    throw new OpenChartError("UNSUPPORTED_FORMAT", "sealed value does not hold JSON");
  }
}

function parseSealed(sealed: string): { jwe: JWE; nonce: Uint8Array; keyCheck: Uint8Array } {
  const unsupported = (why: string) => new OpenChartError("UNSUPPORTED_FORMAT", `not a sealed JSON value: ${why}`);
  let jwe: Record<string, unknown>;
  try {
    jwe = JSON.parse(sealed) as Record<string, unknown>;
  } catch {
    throw unsupported("not JSON");
  }
  if (typeof jwe !== "object" || jwe === null || ["protected", "iv", "ciphertext", "tag"].some((f) => typeof jwe[f] !== "string")) {
    throw unsupported("not a JWE in JSON serialization (protected, iv, ciphertext, tag)");
  }
  const header = base64urlToJson(jwe.protected as string) as Record<string, unknown> | undefined;
  if (typeof header !== "object" || header === null) throw unsupported("its protected header is not base64url JSON");
  if (header.alg !== "dir" || header.enc !== "XC20P") throw unsupported(`alg ${String(header.alg)} / enc ${String(header?.enc)}, expected dir / XC20P`);
  if (typeof header.kn !== "string" || typeof header.kc !== "string") throw unsupported("no key check in its protected header");
  const nonce = base64urlToBytes(header.kn);
  const keyCheck = base64urlToBytes(header.kc);
  if (nonce === undefined || keyCheck === undefined) throw unsupported("its key check is not base64url");
  return { jwe: jwe as unknown as JWE, nonce, keyCheck };
}
