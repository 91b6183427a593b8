import { base64url } from "jose";

// jose's codec (RFC 4648 §5, no padding), the same in Node and browsers; refuses characters outside the alphabet.
const STRICT = /^[A-Za-z0-9_-]*$/;

export const toBase64url = (bytes: Uint8Array): string => base64url.encode(bytes);

export function fromBase64url(text: string): Uint8Array {
  if (!STRICT.test(text)) throw new TypeError("not base64url");
  return base64url.decode(text);
}

/** 32 random bytes in base64url: a link's key (the IG's 43 characters). */
export const randomSecret = (): string => toBase64url(crypto.getRandomValues(new Uint8Array(32)));
