// X25519 key agreement with one secret against many public keys, as fast as the runtime allows: a stealth
// scan runs it once per published grant (10,000 and more), where @noble/curves' pure-JS ladder (about 1 to
// 3 ms a call here) would take tens of seconds. Node's OpenSSL X25519 takes about 0.1 ms; browsers with
// WebCrypto X25519 (Chromium 133+, Firefox 130+, Safari 17+) are similar. node:crypto is found at run time
// through `process.getBuiltinModule`, as sha256.ts does, so a browser bundle never sees it.
import { x25519 } from "@noble/curves/ed25519.js";
import { bytesToBase64url } from "../auth/base64url.js";
import { buffer } from "./stream-pipeline.js";

/** The shared secret with a public key, or undefined when there is none (a low-order or invalid point). */
export type SharedSecretOf = (publicKey: Uint8Array) => Uint8Array | undefined | Promise<Uint8Array | undefined>;

export type X25519Implementation = "node" | "webcrypto" | "noble";

interface NodeKeyObject {
  readonly type: string;
}
interface NodeCrypto {
  createPrivateKey(options: { key: JsonWebKey; format: "jwk" }): NodeKeyObject;
  createPublicKey(options: { key: JsonWebKey; format: "jwk" }): NodeKeyObject;
  diffieHellman(options: { privateKey: NodeKeyObject; publicKey: NodeKeyObject }): Uint8Array;
}

const nodeCrypto: NodeCrypto | undefined = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const module = proc?.getBuiltinModule?.("node:crypto") as Partial<NodeCrypto> | undefined;
  return typeof module?.diffieHellman === "function" ? (module as NodeCrypto) : undefined;
})();

/**
 * What is derived from one secret, kept per secret object: noble's constant-time (blinded) base-point
 * multiplication takes milliseconds, and a recipient opens every candidate of a scan with the same secret (it
 * was about a sixth of a 10,000-grant scan's CPU). The copy of the secret tells a reused, changed array apart.
 */
interface Derived {
  secret: Uint8Array;
  publicKey: Uint8Array;
  agreements: Map<X25519Implementation, SharedSecretOf>;
}
const derived = new WeakMap<Uint8Array, Derived>();

function derivedOf(secret: Uint8Array): Derived {
  const known = derived.get(secret);
  if (known && known.secret.length === secret.length && known.secret.every((byte, i) => byte === secret[i])) return known;
  const fresh: Derived = { secret: secret.slice(), publicKey: x25519.getPublicKey(secret), agreements: new Map() };
  derived.set(secret, fresh);
  return fresh;
}

/** The X25519 public key of `secret`, derived once per secret (see Derived). */
export function x25519PublicKeyOf(secret: Uint8Array): Uint8Array {
  return derivedOf(secret).publicKey;
}

function jwkOf(secret: Uint8Array): JsonWebKey {
  return { kty: "OKP", crv: "X25519", d: bytesToBase64url(secret), x: bytesToBase64url(x25519PublicKeyOf(secret)) };
}

function noble(secret: Uint8Array): SharedSecretOf {
  return (publicKey) => {
    try {
      return x25519.getSharedSecret(secret, publicKey);
    } catch {
      return undefined; // noble refuses an all-zero result (a low-order point), as OpenSSL and WebCrypto do
    }
  };
}

function node(crypto: NodeCrypto, secret: Uint8Array): SharedSecretOf {
  // KeyObjects from JWK: measured faster here than from DER (SPKI) encodings of the same raw keys.
  const privateKey = crypto.createPrivateKey({ key: jwkOf(secret), format: "jwk" });
  return (publicKey) => {
    try {
      const peer = crypto.createPublicKey({ key: { kty: "OKP", crv: "X25519", x: bytesToBase64url(publicKey) }, format: "jwk" });
      return new Uint8Array(crypto.diffieHellman({ privateKey, publicKey: peer }));
    } catch {
      return undefined;
    }
  };
}

function webCrypto(subtle: SubtleCrypto, secret: Uint8Array): SharedSecretOf {
  // Older browsers lack X25519 in WebCrypto: the import then fails once, and every call falls back to noble.
  const fallback = noble(secret);
  const privateKey = subtle.importKey("jwk", jwkOf(secret), { name: "X25519" }, false, ["deriveBits"]).catch(() => undefined);
  return async (publicKey) => {
    const key = await privateKey;
    if (key === undefined) return fallback(publicKey);
    try {
      const peer = await subtle.importKey("raw", buffer(publicKey), { name: "X25519" }, false, []);
      return new Uint8Array(await subtle.deriveBits({ name: "X25519", public: peer }, key, 256));
    } catch {
      return undefined;
    }
  };
}

/** The best available implementation: node:crypto in Node, WebCrypto in browsers, noble otherwise (one per secret). */
export function x25519Agreement(secret: Uint8Array, implementation?: X25519Implementation): SharedSecretOf {
  const chosen = implementation ?? (nodeCrypto !== undefined ? "node" : globalThis.crypto?.subtle !== undefined ? "webcrypto" : "noble");
  const { agreements } = derivedOf(secret);
  let agreement = agreements.get(chosen);
  if (agreement === undefined) {
    if (chosen === "node" && nodeCrypto !== undefined) agreement = node(nodeCrypto, secret.slice());
    else if (chosen === "webcrypto" && globalThis.crypto?.subtle !== undefined) agreement = webCrypto(globalThis.crypto.subtle, secret.slice());
    else agreement = noble(secret.slice());
    agreements.set(chosen, agreement);
  }
  return agreement;
}

/** Which implementation `x25519Agreement` picks here by default (reported by benches). */
export const defaultX25519Implementation: X25519Implementation = nodeCrypto !== undefined ? "node" : globalThis.crypto?.subtle !== undefined ? "webcrypto" : "noble";
