import { x25519 } from "@noble/curves/ed25519.js";
import { ENCRYPTION_KEY_VERSION, x25519DidKey, type EncryptionKeyPair } from "../crypto/index.js";

/**
 * A random X25519 key pair, for accounts that have no wallet to derive one from (servers, scripts, tests).
 * Whoever loses it loses access to what was shared with it: wallets use `encryptionKeyFromProvider` instead.
 */
export function generateEncryptionKey(): EncryptionKeyPair {
  const secretKey = x25519.utils.randomSecretKey();
  const publicKey = x25519.getPublicKey(secretKey);
  return { version: ENCRYPTION_KEY_VERSION, secretKey, publicKey, did: x25519DidKey(publicKey) };
}
