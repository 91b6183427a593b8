// A user's master secret: the one secret their record keys hang from. It is random for new users and
// never leaves the device except wrapped (to a device key, to a wallet key, later to guardians), so a
// signature phished from the wallet no longer opens anything by itself.
//
// Existing users (whose X25519 secret was derived from one EIP-712 signature, `deriveEncryptionKey`)
// keep every record without re-encryption: that derived secret is adopted AS the master, with scheme
// "adopted", for which the X25519 secret is the master itself (the identity, not HKDF). Header keys
// (`headerKeyOf`) and per-consent keys (`consentKeyOf`) already derive from the X25519 secret with their
// own HKDF info strings, so they come out the same too. New masters (scheme "hkdf-v1") go through HKDF
// with an info string of their own. The scheme travels with every wrapped copy (authenticated), so a
// device never has to guess which derivation a master needs.
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { x25519DidKey } from "../crypto/did-key.js";
import type { EncryptionKeyPair } from "../crypto/encryption-key.js";
import { invalidInput } from "../errors.js";

export const MASTER_KEY_BYTES = 32;
export type MasterScheme = "adopted" | "hkdf-v1";
export const MASTER_SCHEMES: readonly MasterScheme[] = ["adopted", "hkdf-v1"];

export interface MasterKey {
  scheme: MasterScheme;
  /** Keep this secret: everything the user holds derives from it. */
  secret: Uint8Array;
}

const X25519_INFO = utf8ToBytes("OpenChart master v1: X25519 key agreement");
/** The version the published encryption profile carries for keys of each scheme. */
const PROFILE_VERSION: Record<MasterScheme, number> = { adopted: 1, "hkdf-v1": 1 };

export function checkMasterKey(master: MasterKey): void {
  if (!MASTER_SCHEMES.includes(master?.scheme)) throw invalidInput(`master key scheme must be one of ${MASTER_SCHEMES.join(", ")}`);
  if (!(master.secret instanceof Uint8Array) || master.secret.length !== MASTER_KEY_BYTES) {
    throw invalidInput(`a master key is ${MASTER_KEY_BYTES} bytes`);
  }
}

/** A fresh random master for a user who has no records yet. */
export function newMasterKey(): MasterKey {
  return { scheme: "hkdf-v1", secret: randomBytes(MASTER_KEY_BYTES) };
}

/** An existing user's wallet-derived key pair taken over as their master: nothing is re-encrypted. */
export function adoptEncryptionKey(legacy: Pick<EncryptionKeyPair, "secretKey">): MasterKey {
  const master: MasterKey = { scheme: "adopted", secret: Uint8Array.from(legacy.secretKey) };
  checkMasterKey(master);
  return master;
}

/** The X25519 key pair (and so the header and per-consent keys) that a master stands for. */
export function encryptionKeyOfMaster(master: MasterKey): EncryptionKeyPair {
  checkMasterKey(master);
  const secretKey = master.scheme === "adopted" ? Uint8Array.from(master.secret) : hkdf(sha256, master.secret, undefined, X25519_INFO, 32);
  const publicKey = x25519.getPublicKey(secretKey);
  return { version: PROFILE_VERSION[master.scheme], secretKey, publicKey, did: x25519DidKey(publicKey) };
}
