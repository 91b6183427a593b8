import { ed25519 } from "@noble/curves/ed25519.js";
import { base58ToBytes, bytesToBase58 } from "did-jwt";
import { didKeyMultibase } from "../api/did.js";
import { invalidInput } from "../errors.js";
import { preview } from "../hex.js";

// Multicodec prefixes (unsigned varints) of the did:key method: https://w3c-ccg.github.io/did-method-key/
const X25519_PUB = [0xec, 0x01];
const ED25519_PUB = [0xed, 0x01];
const KEY_BYTES = 32;

export type DidKey = `did:key:z${string}`;

function multibaseKey(prefix: number[], publicKey: Uint8Array): string {
  const bytes = new Uint8Array(prefix.length + publicKey.length);
  bytes.set(prefix, 0);
  bytes.set(publicKey, prefix.length);
  return `z${bytesToBase58(bytes)}`;
}

/** The did:key of an X25519 public key (multicodec x25519-pub, 0xec): `did:key:z6LS...`. */
export function x25519DidKey(publicKey: Uint8Array): DidKey {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== KEY_BYTES) {
    throw invalidInput(`an X25519 public key is ${KEY_BYTES} bytes`);
  }
  return `did:key:${multibaseKey(X25519_PUB, publicKey)}` as DidKey;
}

/** Where a did:key's messages can be encrypted to: its X25519 key and the key ID a DID document gives it. */
export interface KeyAgreementKey {
  did: DidKey;
  /** `did#fragment`, as key-did-resolver names the keyAgreement method (recipients' `kid` in a JWE). */
  kid: string;
  publicKey: Uint8Array;
}

/**
 * The X25519 key-agreement key of a did:key: an X25519 key as is, or the X25519 form of an Ed25519 key
 * (as key-did-resolver derives it, so Ceramic's Ed25519 did:key DIDs can decrypt what is sent to them).
 */
export function keyAgreementKeyOf(did: string): KeyAgreementKey {
  const multibase = didKeyMultibase(did);
  if (multibase === undefined) throw invalidInput(`recipient must be a did:key (did:key:z...), got ${preview(did)}`);
  let bytes: Uint8Array;
  try {
    bytes = base58ToBytes(multibase.slice(1));
  } catch {
    throw invalidInput(`recipient ${preview(did)} is not valid base58btc`);
  }
  const codec = [bytes[0], bytes[1]];
  const key = bytes.subarray(2);
  const isX25519 = codec[0] === X25519_PUB[0] && codec[1] === X25519_PUB[1];
  const isEd25519 = codec[0] === ED25519_PUB[0] && codec[1] === ED25519_PUB[1];
  if (!isX25519 && !isEd25519) {
    throw invalidInput(`recipient ${preview(did)} is neither an X25519 nor an Ed25519 did:key: it cannot receive keys`);
  }
  if (key.length !== KEY_BYTES) throw invalidInput(`recipient ${preview(did)} does not hold a 32-byte key`);
  if (isX25519) {
    return { did: did as DidKey, kid: `${did}#${multibase}`, publicKey: key.slice() };
  }
  let publicKey: Uint8Array;
  try {
    publicKey = ed25519.utils.toMontgomery(key);
  } catch {
    throw invalidInput(`recipient ${preview(did)} is not a valid Ed25519 key`);
  }
  return { did: did as DidKey, kid: `${did}#${multibaseKey(X25519_PUB, publicKey)}`, publicKey };
}
