// A user's X25519 key pair for receiving record keys, derived from a wallet signature so that the wallet is
// the only thing to back up: the same wallet signs the same fixed EIP-712 message to the same signature
// (RFC 6979 deterministic ECDSA, which wallets use), and HKDF turns that signature into the secret key.
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { getAddress, getBytes, hexlify, toBeHex, verifyTypedData, type TypedDataDomain, type TypedDataField } from "ethers";
import { OpenChartError, invalidInput } from "../errors.js";
import { preview } from "../hex.js";
import { x25519DidKey, type DidKey } from "./did-key.js";

export const ENCRYPTION_KEY_DOMAIN_NAME = "OpenChart";
export const ENCRYPTION_KEY_DOMAIN_VERSION = "1";
export const ENCRYPTION_KEY_PURPOSE = "OpenChart encryption key";
/** The derivation in use; a new one (another message, salt or info) gets a new number and keeps the old. */
export const ENCRYPTION_KEY_VERSION = 1;

export const encryptionKeyTypes: Record<string, TypedDataField[]> = {
  EncryptionKey: [
    { name: "purpose", type: "string" },
    { name: "version", type: "uint32" },
    { name: "address", type: "address" },
  ],
};

export interface EncryptionKeyMessage {
  purpose: string;
  version: number;
  address: string;
}

export interface EncryptionKeyRequest {
  /** The wallet's address: the signature must come from it. */
  address: string;
  chainId: number | bigint;
  /** Derivation version, default {@link ENCRYPTION_KEY_VERSION}. */
  version?: number;
}

export interface EncryptionKeyPair {
  version: number;
  /** Keep this secret: it opens every record key sent to `did`. */
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  /** The public half as `did:key:z6LS...`, published in the user's EncryptionProfile. */
  did: DidKey;
}

/** Signs EIP-712 typed data (an ethers `Signer` fits). */
export interface TypedDataSigner {
  getAddress(): Promise<string>;
  signTypedData(domain: TypedDataDomain, types: Record<string, TypedDataField[]>, value: Record<string, unknown>): Promise<string>;
}

/** An EIP-1193 provider (a browser wallet). */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

function versionOf(version: number | undefined): number {
  const v = version ?? ENCRYPTION_KEY_VERSION;
  if (!Number.isInteger(v) || v < 1 || v > 0xffffffff) throw invalidInput(`encryption key version must be a positive integer, got ${preview(v)}`);
  return v;
}

function checksumAddress(address: string): string {
  try {
    return getAddress(address);
  } catch {
    throw invalidInput(`address must be an Ethereum address (0x + 40 hex digits), got ${preview(address)}`);
  }
}

export function encryptionKeyDomain(chainId: number | bigint): TypedDataDomain {
  if (!(typeof chainId === "bigint" || Number.isSafeInteger(chainId)) || BigInt(chainId) <= 0n) {
    throw invalidInput(`chainId must be a positive integer, got ${preview(chainId)}`);
  }
  return { name: ENCRYPTION_KEY_DOMAIN_NAME, version: ENCRYPTION_KEY_DOMAIN_VERSION, chainId };
}

export function encryptionKeyMessage(address: string, version?: number): EncryptionKeyMessage {
  return { purpose: ENCRYPTION_KEY_PURPOSE, version: versionOf(version), address: checksumAddress(address) };
}

/** The full typed data as `eth_signTypedData_v4` takes it (JSON-encode it as the second parameter). */
export function encryptionKeyTypedData(request: EncryptionKeyRequest) {
  const domain = encryptionKeyDomain(request.chainId);
  return {
    types: {
      EIP712Domain: [
        { name: "name", type: "string" },
        { name: "version", type: "string" },
        { name: "chainId", type: "uint256" },
      ],
      ...encryptionKeyTypes,
    },
    primaryType: "EncryptionKey" as const,
    domain: { ...domain, chainId: Number(request.chainId) },
    message: encryptionKeyMessage(request.address, request.version),
  };
}

/**
 * Derives the key pair from a wallet's signature over {@link encryptionKeyTypedData}. Checks that the
 * signature is the address's, and accepts either `v` style (27/28 or 0/1) and either `s` half, so that
 * every wallet's form of the same signature gives the same key.
 */
export function deriveEncryptionKey(signature: string, request: EncryptionKeyRequest): EncryptionKeyPair {
  const version = versionOf(request.version);
  const domain = encryptionKeyDomain(request.chainId);
  const message = encryptionKeyMessage(request.address, version);
  const canonical = canonicalSignature(signature);
  let signer: string;
  try {
    signer = verifyTypedData(domain, encryptionKeyTypes, message, hexlify(canonical));
  } catch {
    throw invalidInput(`signature ${preview(signature)} is not a valid ECDSA signature of the encryption-key message`);
  }
  if (signer !== message.address) {
    throw new OpenChartError("WRONG_KEY", `the encryption-key signature is from ${signer}, not from ${message.address}`);
  }
  const salt = utf8ToBytes(`OpenChart encryption key salt v${version}`);
  const info = utf8ToBytes(`OpenChart X25519 secret key v${version}`);
  const secretKey = hkdf(sha256, canonical, salt, info, 32);
  const publicKey = x25519.getPublicKey(secretKey);
  return { version, secretKey, publicKey, did: x25519DidKey(publicKey) };
}

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** r || low s || v (27/28): one encoding for a signature that wallets may write in four. */
export function canonicalSignature(signature: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = getBytes(signature);
  } catch {
    bytes = new Uint8Array(0);
  }
  if (bytes.length !== 65) throw invalidInput(`signature must be 65 bytes of 0x-hex (r, s, v), got ${preview(signature)}`);
  let v = bytes[64]!;
  if (v === 0 || v === 1) v += 27;
  if (v !== 27 && v !== 28) throw invalidInput(`signature has recovery byte ${bytes[64]}, expected 27, 28, 0 or 1`);
  let s = BigInt(hexlify(bytes.subarray(32, 64)));
  if (s > SECP256K1_N / 2n) {
    s = SECP256K1_N - s;
    v = v === 27 ? 28 : 27;
  }
  const canonical = new Uint8Array(65);
  canonical.set(bytes.subarray(0, 32), 0);
  canonical.set(getBytes(toBeHex(s, 32)), 32);
  canonical[64] = v;
  return canonical;
}

/** Asks an ethers signer for the signature and derives the key pair. */
export async function encryptionKeyFromSigner(signer: TypedDataSigner, chainId: number | bigint, version?: number): Promise<EncryptionKeyPair> {
  const address = await signer.getAddress();
  const request = { address, chainId, version: versionOf(version) };
  const signature = await signer.signTypedData(encryptionKeyDomain(chainId), encryptionKeyTypes, { ...encryptionKeyMessage(address, request.version) });
  return deriveEncryptionKey(signature, request);
}

/** Asks a browser wallet (EIP-1193, `eth_signTypedData_v4`) for the signature and derives the key pair. */
export async function encryptionKeyFromProvider(provider: Eip1193Provider, request: EncryptionKeyRequest): Promise<EncryptionKeyPair> {
  const typedData = encryptionKeyTypedData(request);
  const signature = await provider.request({ method: "eth_signTypedData_v4", params: [typedData.message.address, JSON.stringify(typedData)] });
  if (typeof signature !== "string") throw invalidInput(`wallet returned ${preview(signature)} instead of a signature`);
  return deriveEncryptionKey(signature, request);
}
