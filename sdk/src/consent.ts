import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { AbiCoder, Contract, Wallet, getBytes, hexlify, keccak256, randomBytes, toUtf8Bytes, type Provider } from "ethers";
import { consentRegistryAbi } from "./abi.js";
import { isAccountDid } from "./api/account-did.js";
import { invalidInput } from "./errors.js";
import { preview, toAddress, toBytes32, type Hex } from "./hex.js";

export {
  CONSENT_DOMAIN_NAME,
  CONSENT_DOMAIN_VERSION,
  consentDomain,
  grantTypes,
  revokeTypes,
  type GrantMessage,
  type RevokeMessage,
} from "./consent-domain.js";

/**
 * Everything a consent commits to, kept secret by its parties (inside the sealed grant, or
 * in a consent proof the patient hands to an auditor). The chain sees only
 * `consentId = keccak256(abi.encode(revoker, consentCommitmentOf(opening)))`.
 */
export interface ConsentOpening {
  v: 2;
  chainId: number;
  /** The ConsentRegistry the consent lives in. */
  registry: Hex;
  patient: string;
  grantee: string;
  recordIds: string[];
  /** 32 random bytes: without it anyone could test a guessed (patient, grantee, records). */
  salt: Hex;
  /** The per-consent key's address (see {@link consentKeyOf}), not the patient's wallet. */
  revoker: Hex;
}

const COMMITMENT_TAG = keccak256(toUtf8Bytes("OpenChart consent v2"));
const CONSENT_KEY_INFO = toUtf8Bytes("OpenChart consent key v1");
/** The order of secp256k1's group. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const MAX_RECORDS = 1000;

/**
 * The on-chain scope of a consent to a set of records: a salted hash, so nobody can test a guess
 * against it. The same records and salt always give the same scope, in any order.
 */
export function scopeOf(recordIds: readonly string[], salt: string): Hex {
  if (recordIds.length === 0) throw invalidInput("a consent scope needs at least one record");
  const ids = [...new Set(recordIds)].sort();
  return keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "string[]"], [toBytes32(salt, "salt"), ids])) as Hex;
}

/** The commitment a consent is stored under: binds patient, grantee, records and salt, reveals none. */
export function consentCommitmentOf(o: ConsentOpening): Hex {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "bytes32", "bytes32", "bytes32", "bytes32"],
      [COMMITMENT_TAG, keccak256(toUtf8Bytes(o.patient)), keccak256(toUtf8Bytes(o.grantee)), scopeOf(o.recordIds, o.salt), toBytes32(o.salt, "salt")],
    ),
  ) as Hex;
}

/** `keccak256(abi.encode(revoker, commitment))`, as the contract computes it. */
export function consentIdOf(revoker: string, commitment: string): Hex {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(["address", "bytes32"], [toAddress(revoker, "revoker"), toBytes32(commitment, "commitment")]),
  ) as Hex;
}

export function consentIdOfOpening(o: ConsentOpening): Hex {
  return consentIdOf(o.revoker, consentCommitmentOf(o));
}

/**
 * The key that grants and revokes one consent: HKDF-SHA256 of the patient's X25519 secret with the
 * consent's salt, so the patient re-derives it from the opening alone and no two consents (nor the
 * patient's wallet) share a signer. 48 bytes reduced into [1, n-1] keep the bias below 2^-128.
 */
export function consentKeyOf(patientSecret: Uint8Array, salt: Hex): Wallet {
  if (!(patientSecret instanceof Uint8Array) || patientSecret.length < 32) {
    throw invalidInput("a consent key needs the patient's 32-byte secret");
  }
  const okm = hkdf(sha256, patientSecret, getBytes(toBytes32(salt, "salt")), CONSENT_KEY_INFO, 48);
  const scalar = (BigInt(hexlify(okm)) % (SECP256K1_N - 1n)) + 1n;
  return new Wallet(`0x${scalar.toString(16).padStart(64, "0")}`);
}

/** A fresh consent: random salt, and the per-consent key that will sign its grant and revoke. */
export function newConsentOpening(input: {
  chainId: number;
  registry: string;
  patient: string;
  grantee: string;
  recordIds: string[];
  patientSecret: Uint8Array;
}): { opening: ConsentOpening; key: Wallet } {
  const salt = hexlify(randomBytes(32)) as Hex;
  const key = consentKeyOf(input.patientSecret, salt);
  const opening = parseConsentOpening({
    v: 2,
    chainId: input.chainId,
    registry: input.registry,
    patient: input.patient,
    grantee: input.grantee,
    recordIds: [...input.recordIds],
    salt,
    revoker: key.address,
  });
  return { opening, key };
}

const OPENING_FIELDS = ["v", "chainId", "registry", "patient", "grantee", "recordIds", "salt", "revoker"] as const;

/** Checks an opening read from a file, a request or a decrypted grant; hex comes back lower-cased. */
export function parseConsentOpening(value: unknown): ConsentOpening {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidInput(`a consent opening must be an object, got ${preview(value)}`);
  }
  const o = value as Record<string, unknown>;
  const unknownFields = Object.keys(o).filter((key) => !(OPENING_FIELDS as readonly string[]).includes(key));
  if (unknownFields.length) throw invalidInput(`a consent opening has unknown fields: ${unknownFields.join(", ")}`);
  if (o.v !== 2) throw invalidInput(`consent opening version must be 2, got ${preview(o.v)}`);
  if (typeof o.chainId !== "number" || !Number.isSafeInteger(o.chainId) || o.chainId <= 0) {
    throw invalidInput(`consent opening chainId must be a positive integer, got ${preview(o.chainId)}`);
  }
  for (const field of ["patient", "grantee"] as const) {
    if (!isAccountDid(o[field])) {
      throw invalidInput(`consent opening ${field} must be a did:pkh (eip155) or did:key, got ${preview(o[field])}`);
    }
  }
  if (o.patient === o.grantee) throw invalidInput("consent opening patient and grantee must differ");
  const ids = o.recordIds;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_RECORDS) {
    throw invalidInput(`consent opening recordIds must be a list of 1 to ${MAX_RECORDS} record IDs`);
  }
  for (const id of ids) {
    if (typeof id !== "string" || id.length === 0 || id.length > 200) {
      throw invalidInput(`consent opening recordIds must hold non-empty strings, got ${preview(id)}`);
    }
  }
  return {
    v: 2,
    chainId: o.chainId,
    registry: toAddress(o.registry, "consent opening registry"),
    patient: o.patient as string,
    grantee: o.grantee as string,
    recordIds: [...(ids as string[])],
    salt: toBytes32(o.salt, "consent opening salt"),
    revoker: toAddress(o.revoker, "consent opening revoker"),
  };
}

/** What a patient hands an auditor: the opening of one consent, nothing else. */
export interface ConsentProof {
  type: "openchart-consent-proof";
  version: 1;
  opening: ConsentOpening;
}

export function exportConsentProof(opening: ConsentOpening): ConsentProof {
  return { type: "openchart-consent-proof", version: 1, opening: parseConsentOpening(opening) };
}

/** Reads a consent proof, from its JSON text or parsed. */
export function parseConsentProof(value: unknown): ConsentProof {
  let proof = value;
  if (typeof value === "string") {
    try {
      proof = JSON.parse(value);
    } catch {
      throw invalidInput("a consent proof must be JSON");
    }
  }
  if (typeof proof !== "object" || proof === null || Array.isArray(proof)) throw invalidInput("a consent proof must be an object");
  const { type, version, opening, ...rest } = proof as Record<string, unknown>;
  if (type !== "openchart-consent-proof") throw invalidInput(`not a consent proof (type ${preview(type)})`);
  if (version !== 1) throw invalidInput(`unsupported consent proof version ${preview(version)}`);
  if (Object.keys(rest).length) throw invalidInput(`a consent proof has unknown fields: ${Object.keys(rest).join(", ")}`);
  return { type, version, opening: parseConsentOpening(opening) };
}

export type ConsentStatus = "none" | "active" | "expired" | "revoked";
const STATUSES: readonly ConsentStatus[] = ["none", "active", "expired", "revoked"];

export interface ConsentState {
  consentId: Hex;
  /** 0 when unknown or revoked. */
  expiresAt: number;
  status: ConsentStatus;
}

export function consentRegistryAt(address: string, provider: Provider): Contract {
  return new Contract(toAddress(address, "ConsentRegistry address"), consentRegistryAbi, provider);
}

/** Reads a consent's current state from the chain. */
export async function readConsent(registry: Contract, consentId: string): Promise<ConsentState> {
  const id = toBytes32(consentId, "consentId");
  const [expiresAt, status] = (await registry.getFunction("consentOf")(id)) as [bigint, bigint];
  return { consentId: id, expiresAt: Number(expiresAt), status: STATUSES[Number(status)] ?? "none" };
}

export interface ConsentEvent {
  kind: "granted" | "revoked";
  consentId: Hex;
  expiresAt?: number;
  blockNumber: number;
  txHash: Hex;
  /** Block time, seconds since the epoch. */
  at: number;
}

/**
 * Every grant, extension and revoke of one consent, oldest first, found by its consent-id topic.
 * Pass the registry's deployment block as `fromBlock`: public endpoints refuse log queries from 0.
 */
export async function consentTimeline(registry: Contract, consentId: string, fromBlock = 0): Promise<ConsentEvent[]> {
  const id = toBytes32(consentId, "consentId");
  const [granted, revoked] = await Promise.all([
    registry.queryFilter(registry.filters.ConsentGranted!(id), fromBlock),
    registry.queryFilter(registry.filters.ConsentRevoked!(id), fromBlock),
  ]);
  const provider = registry.runner!.provider!;
  const times = new Map<number, number>();
  const timeOf = async (blockNumber: number): Promise<number> => {
    if (!times.has(blockNumber)) times.set(blockNumber, (await provider.getBlock(blockNumber))!.timestamp);
    return times.get(blockNumber)!;
  };
  // Chain order, down to the log: a grant and its revoke can share a block.
  const logs = [...granted, ...revoked].sort(
    (a, b) => a.blockNumber - b.blockNumber || a.transactionIndex - b.transactionIndex || a.index - b.index,
  );
  const events: ConsentEvent[] = [];
  for (const log of logs) {
    const parsed = registry.interface.parseLog(log)!;
    const base = { consentId: id, blockNumber: log.blockNumber, txHash: log.transactionHash as Hex, at: await timeOf(log.blockNumber) };
    events.push(
      parsed.name === "ConsentGranted"
        ? { kind: "granted", ...base, expiresAt: Number(parsed.args.expiresAt) }
        : { kind: "revoked", ...base },
    );
  }
  return events;
}
