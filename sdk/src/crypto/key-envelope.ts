// A record's content key, sealed to its readers as a dag-jose JWE, exactly as `dids` DID.createDagJWE builds
// one: dag-cbor cleartext (dag-jose-utils `prepareCleartext`), XChaCha20-Poly1305 content encryption, and per
// recipient an ECDH-ES+XC20PKW key wrap (anoncrypt) to its X25519 key with the `kid` key-did-resolver gives it.
// So a Ceramic DID (e.g. an Ed25519 did:key with key-did-provider-ed25519) opens it with `did.decryptDagJWE`.
import { decodeCleartext, prepareCleartext } from "dag-jose-utils";
import { createJWE, decryptJWE, x25519Decrypter, x25519Encrypter, type JWE } from "did-jwt";
import { x25519 } from "@noble/curves/ed25519.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { OpenChartError, invalidInput } from "../errors.js";
import { toBytes32, type Hex } from "../hex.js";
import { keyAgreementKeyOf, x25519DidKey } from "./did-key.js";
import { checkContentKey } from "./stream-format.js";

export type KeyEnvelope = JWE;

export const KEY_ENVELOPE_VERSION = 1;
/** More recipients than this is a mistake, not a share. */
export const MAX_ENVELOPE_RECIPIENTS = 100;

export interface EnvelopeContents {
  contentKey: Uint8Array;
  /** The commitment salt of the record, kept secret beside its key. */
  salt?: Hex;
}

/**
 * Seals a content key (and optionally the record's commitment salt) to each recipient did:key (X25519, or
 * Ed25519 through its X25519 form). Sharing with one more reader is wrapping again to the larger set.
 */
export async function wrapKey(contentKey: Uint8Array, recipients: readonly string[], options: { salt?: Hex } = {}): Promise<KeyEnvelope> {
  checkContentKey(contentKey);
  if (!Array.isArray(recipients) || recipients.length === 0) throw invalidInput("a key envelope needs at least one recipient did:key");
  const keys = [...new Map(recipients.map((did) => keyAgreementKeyOf(did)).map((k) => [k.kid, k])).values()];
  if (keys.length > MAX_ENVELOPE_RECIPIENTS) throw invalidInput(`a key envelope holds at most ${MAX_ENVELOPE_RECIPIENTS} recipients, got ${keys.length}`);
  const cleartext: Record<string, unknown> = { v: KEY_ENVELOPE_VERSION, key: contentKey };
  if (options.salt !== undefined) cleartext.salt = hexToBytes(toBytes32(options.salt, "salt").slice(2));
  const encrypters = keys.map((k) => x25519Encrypter(k.publicKey, k.kid));
  return createJWE(await prepareCleartext(cleartext), encrypters);
}

/** Opens an envelope with an X25519 secret key (a user's derived encryption key). */
export async function openKeyEnvelope(envelope: KeyEnvelope, x25519SecretKey: Uint8Array): Promise<EnvelopeContents> {
  checkEnvelope(envelope);
  if (!(x25519SecretKey instanceof Uint8Array) || x25519SecretKey.length !== 32) throw invalidInput("an X25519 secret key is 32 bytes");
  let cleartext: Uint8Array;
  try {
    cleartext = await decryptJWE(envelope, x25519Decrypter(x25519SecretKey));
  } catch (error) {
    if (isAddressedTo(envelope, x25519SecretKey)) {
      throw new OpenChartError("TAMPERED", "key envelope is addressed to this key but failed authentication: it was modified");
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new OpenChartError("WRONG_KEY", `this key envelope is not addressed to the given key (${reason})`);
  }
  return contentsOf(cleartext);
}

/** The content key inside an envelope. */
export async function unwrapKey(envelope: KeyEnvelope, x25519SecretKey: Uint8Array): Promise<Uint8Array> {
  return (await openKeyEnvelope(envelope, x25519SecretKey)).contentKey;
}

/** Opens an envelope and seals its contents to a new set of recipients (to share, or to drop a reader). */
export async function rewrapKey(envelope: KeyEnvelope, x25519SecretKey: Uint8Array, recipients: readonly string[]): Promise<KeyEnvelope> {
  const { contentKey, salt } = await openKeyEnvelope(envelope, x25519SecretKey);
  return wrapKey(contentKey, recipients, salt === undefined ? {} : { salt });
}

/** The did:keys an envelope is addressed to, from its recipients' key IDs (unauthenticated: for display). */
export function envelopeRecipients(envelope: KeyEnvelope): string[] {
  checkEnvelope(envelope);
  return (envelope.recipients ?? []).flatMap((r) => (typeof r.header.kid === "string" ? [r.header.kid.split("#")[0]!] : []));
}

/** Whether a recipient's key ID names this secret key's public key (its fragment is the X25519 did:key). */
function isAddressedTo(envelope: KeyEnvelope, x25519SecretKey: Uint8Array): boolean {
  const fragment = x25519DidKey(x25519.getPublicKey(x25519SecretKey)).slice("did:key:".length);
  return (envelope.recipients ?? []).some((r) => typeof r.header.kid === "string" && r.header.kid.endsWith(`#${fragment}`));
}

function checkEnvelope(envelope: KeyEnvelope): void {
  const e = envelope as unknown as Record<string, unknown> | null;
  const fields = ["protected", "iv", "ciphertext", "tag"];
  if (typeof e !== "object" || e === null || fields.some((f) => typeof e[f] !== "string") || !Array.isArray(e.recipients)) {
    throw invalidInput("key envelope must be a JWE in JSON serialization (protected, iv, ciphertext, tag, recipients)");
  }
}

function contentsOf(cleartext: Uint8Array): EnvelopeContents {
  let decoded: Record<string, unknown>;
  try {
    decoded = decodeCleartext(cleartext);
  } catch {
    throw new OpenChartError("UNSUPPORTED_FORMAT", "key envelope cleartext is not dag-cbor");
  }
  if (decoded.v !== KEY_ENVELOPE_VERSION) throw new OpenChartError("UNSUPPORTED_FORMAT", `unsupported key envelope version ${String(decoded.v)}`);
  const key = decoded.key;
  if (!(key instanceof Uint8Array) || key.length !== 32) throw new OpenChartError("UNSUPPORTED_FORMAT", "key envelope holds no 32-byte content key");
  const salt = decoded.salt;
  if (salt === undefined) return { contentKey: key };
  if (!(salt instanceof Uint8Array) || salt.length !== 32) throw new OpenChartError("UNSUPPORTED_FORMAT", "key envelope salt is not 32 bytes");
  return { contentKey: key, salt: `0x${bytesToHex(salt)}` };
}
