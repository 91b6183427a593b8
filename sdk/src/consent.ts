import { AbiCoder, Contract, keccak256, toUtf8Bytes, type Provider, type TypedDataDomain, type TypedDataField } from "ethers";
import { consentRegistryAbi } from "./abi.js";
import { invalidInput } from "./errors.js";
import { toAddress, toBytes32, type Hex } from "./hex.js";

/** Must match the `EIP712(...)` constructor arguments of ConsentRegistry. */
export const CONSENT_DOMAIN_NAME = "OpenChart ConsentRegistry";
export const CONSENT_DOMAIN_VERSION = "1";

export const grantTypes: Record<string, TypedDataField[]> = {
  Grant: [
    { name: "patient", type: "address" },
    { name: "grantee", type: "address" },
    { name: "scope", type: "bytes32" },
    { name: "expiresAt", type: "uint64" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export const revokeTypes: Record<string, TypedDataField[]> = {
  Revoke: [
    { name: "patient", type: "address" },
    { name: "consentId", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export interface GrantMessage {
  patient: string;
  grantee: string;
  scope: string;
  expiresAt: bigint;
  nonce: bigint;
  deadline: bigint;
}

export interface RevokeMessage {
  patient: string;
  consentId: string;
  nonce: bigint;
  deadline: bigint;
}

/** The EIP-712 domain: binds a signature to one chain and one ConsentRegistry. */
export function consentDomain(chainId: bigint | number, contract: string): TypedDataDomain {
  return {
    name: CONSENT_DOMAIN_NAME,
    version: CONSENT_DOMAIN_VERSION,
    chainId,
    verifyingContract: toAddress(contract, "contract"),
  };
}

/** `keccak256(abi.encode(patient, grantee, scope))`, as the contract computes it. */
export function consentIdOf(patient: string, grantee: string, scope: string): Hex {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["address", "address", "bytes32"],
      [toAddress(patient, "patient"), toAddress(grantee, "grantee"), toBytes32(scope, "scope")],
    ),
  ) as Hex;
}

/**
 * The on-chain scope of a consent to a set of records: a salted hash, so nobody can test a guess
 * ("a psychiatry category?") against it. Keep the salt with the grant (in the encrypted AccessGrant);
 * the same records and salt always give the same scope, in any order.
 */
export function scopeOf(recordIds: readonly string[], salt: string): Hex {
  if (recordIds.length === 0) throw invalidInput("a consent scope needs at least one record");
  const ids = [...new Set(recordIds)].sort();
  return keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "string[]"], [toBytes32(salt, "salt"), ids])) as Hex;
}

/**
 * The scope salt of the consent behind an AccessGrant, derived from the grant's stream ID: patient and doctor
 * both recompute the consent ID from the grant they read, with no other place to keep the salt. The link it
 * makes (grant <-> consent) is between two public facts naming the same pair, so it reveals nothing new.
 */
export function grantScopeSalt(grantId: string): Hex {
  if (grantId.length === 0) throw invalidInput("a grant ID is needed to derive its consent's salt");
  return keccak256(toUtf8Bytes(`openchart:consent-scope:${grantId}`)) as Hex;
}

/** The on-chain consent (scope and ID) that backs an AccessGrant of `patient` to `grantee`. */
export function consentOfGrant(patient: string, grantee: string, grant: { id: string; recordIds: readonly string[] }): { scope: Hex; consentId: Hex } {
  const scope = scopeOf(grant.recordIds, grantScopeSalt(grant.id));
  return { scope, consentId: consentIdOf(patient, grantee, scope) };
}

export type ConsentStatus = "none" | "active" | "expired";
const STATUSES: readonly ConsentStatus[] = ["none", "active", "expired"];

export interface ConsentState {
  consentId: Hex;
  patient: Hex | null;
  expiresAt: number;
  status: ConsentStatus;
}

export function consentRegistryAt(address: string, provider: Provider): Contract {
  return new Contract(toAddress(address, "ConsentRegistry address"), consentRegistryAbi, provider);
}

/** Reads a consent's current state from the chain. */
export async function readConsent(registry: Contract, consentId: string): Promise<ConsentState> {
  const id = toBytes32(consentId, "consentId");
  const [patient, expiresAt, status] = (await registry.getFunction("consentOf")(id)) as [string, bigint, bigint];
  const known = BigInt(patient) !== 0n;
  return {
    consentId: id,
    patient: known ? (patient.toLowerCase() as Hex) : null,
    expiresAt: Number(expiresAt),
    status: STATUSES[Number(status)] ?? "none",
  };
}

export interface ConsentEvent {
  kind: "granted" | "revoked";
  consentId: Hex;
  scope?: Hex;
  expiresAt?: number;
  blockNumber: number;
  txHash: Hex;
  /** Block time, seconds since the epoch. */
  at: number;
}

/**
 * Every grant and revoke between a patient and a grantee, oldest first, from the contract's events.
 * Pass the registry's deployment block as `fromBlock`: public endpoints refuse log queries from 0.
 */
export async function consentHistory(
  registry: Contract,
  patient: string,
  grantee: string,
  fromBlock = 0,
): Promise<ConsentEvent[]> {
  const patientAddress = toAddress(patient, "patient");
  const granteeAddress = toAddress(grantee, "grantee");
  const granted = await registry.queryFilter(
    registry.filters.ConsentGranted!(patientAddress, granteeAddress),
    fromBlock,
  );
  const grants = granted.map((log) => ({ log, parsed: registry.interface.parseLog(log)! }));
  // The grant event has no consent-id topic (gas); the id is derived as the contract derives it.
  const ids = [...new Set(grants.map(({ parsed }) => consentIdOf(patientAddress, granteeAddress, parsed.args.scope as string)))];
  const revoked = ids.length
    ? await registry.queryFilter(registry.filters.ConsentRevoked!(ids, patientAddress), fromBlock)
    : [];
  const provider = registry.runner!.provider!;
  const times = new Map<number, number>();
  const timeOf = async (blockNumber: number): Promise<number> => {
    if (!times.has(blockNumber)) times.set(blockNumber, (await provider.getBlock(blockNumber))!.timestamp);
    return times.get(blockNumber)!;
  };
  const events: (ConsentEvent & { order: [number, number, number] })[] = [];
  for (const { log, parsed } of grants) {
    events.push({
      kind: "granted",
      consentId: consentIdOf(patientAddress, granteeAddress, parsed.args.scope as string),
      scope: (parsed.args.scope as string).toLowerCase() as Hex,
      expiresAt: Number(parsed.args.expiresAt),
      blockNumber: log.blockNumber,
      txHash: log.transactionHash as Hex,
      at: await timeOf(log.blockNumber),
      order: [log.blockNumber, log.transactionIndex, log.index],
    });
  }
  for (const log of revoked) {
    events.push({
      kind: "revoked",
      consentId: log.topics[1]!.toLowerCase() as Hex,
      blockNumber: log.blockNumber,
      txHash: log.transactionHash as Hex,
      at: await timeOf(log.blockNumber),
      order: [log.blockNumber, log.transactionIndex, log.index],
    });
  }
  // Chain order, down to the log: a revoke and a re-grant can share a block.
  events.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.order[2] - b.order[2]);
  return events.map(({ order: _order, ...event }) => event);
}
