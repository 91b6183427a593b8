// btoa/atob exist in browsers and in Node >= 16, so the sdk needs no Buffer here.
const BASE64URL = /^[A-Za-z0-9_-]*$/;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Standard, padded base64 (FHIR's base64Binary, JSON receipts). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Decodes padded base64, whitespace allowed between groups (as FHIR's base64Binary allows); undefined for anything else. */
export function base64ToBytes(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, "");
  if (!BASE64.test(compact) || compact.length % 4 !== 0) return undefined;
  return binaryToBytes(atob(compact));
}

export function bytesToBase64url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function binaryToBytes(binary: string): Uint8Array {
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Decodes unpadded base64url; returns undefined for anything else, so callers refuse rather than throw. */
export function base64urlToBytes(text: string): Uint8Array | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  return binaryToBytes(atob(text.replace(/-/g, "+").replace(/_/g, "/")));
}

export function utf8ToBase64url(text: string): string {
  return bytesToBase64url(new TextEncoder().encode(text));
}

/** Parses base64url-encoded JSON; undefined when either layer is invalid. */
export function base64urlToJson(text: string): unknown {
  const bytes = base64urlToBytes(text);
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}
