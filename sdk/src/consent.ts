import { AbiCoder, Contract, keccak256, type Provider, type TypedDataDomain, type TypedDataField } from "ethers";
import { consentRegistryAbi } from "./abi.js";
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

/** Every grant and revoke between a patient and a grantee, oldest first, from the contract's events. */
export async function consentHistory(
  registry: Contract,
  patient: string,
  grantee: string,
  fromBlock = 0,
): Promise<ConsentEvent[]> {
  const patientAddress = toAddress(patient, "patient");
  const granteeAddress = toAddress(grantee, "grantee");
  const granted = await registry.queryFilter(registry.filters.ConsentGranted!(patientAddress, granteeAddress), fromBlock);
  // ConsentGranted does not carry the id (it is derived from patient, grantee and scope), so the
  // revocations are looked up by the ids of the scopes granted.
  const idOf = (log: (typeof granted)[number]) =>
    consentIdOf(patientAddress, granteeAddress, registry.interface.parseLog(log)!.args.scope as string);
  const ids = [...new Set(granted.map(idOf))];
  const revoked = ids.length ? await registry.queryFilter(registry.filters.ConsentRevoked!(ids, patientAddress), fromBlock) : [];
  const provider = registry.runner!.provider!;
  const times = new Map<number, number>();
  const events: ConsentEvent[] = [];
  for (const log of [...granted, ...revoked]) {
    if (!times.has(log.blockNumber)) times.set(log.blockNumber, (await provider.getBlock(log.blockNumber))!.timestamp);
    const parsed = registry.interface.parseLog(log)!;
    events.push({
      kind: parsed.name === "ConsentGranted" ? "granted" : "revoked",
      consentId: (parsed.name === "ConsentGranted" ? idOf(log) : log.topics[1]) as Hex,
      ...(parsed.name === "ConsentGranted"
        ? { scope: parsed.args.scope as Hex, expiresAt: Number(parsed.args.expiresAt) }
        : {}),
      blockNumber: log.blockNumber,
      txHash: log.transactionHash as Hex,
      at: times.get(log.blockNumber)!,
    });
  }
  return events.sort((a, b) => a.blockNumber - b.blockNumber);
}
