import type { TypedDataDomain, TypedDataField } from "ethers";
import { toAddress, toBytes32, type Hex } from "./hex.js";

/** Must match the `EIP712(...)` constructor arguments of ConsentRegistry. */
export const CONSENT_DOMAIN_NAME = "OpenChart ConsentRegistry";
export const CONSENT_DOMAIN_VERSION = "2";

export const grantTypes: Record<string, TypedDataField[]> = {
  Grant: [
    { name: "commitment", type: "bytes32" },
    { name: "expiresAt", type: "uint64" },
    { name: "deadline", type: "uint256" },
  ],
};

export const revokeTypes: Record<string, TypedDataField[]> = {
  Revoke: [
    { name: "commitment", type: "bytes32" },
    { name: "deadline", type: "uint256" },
  ],
};

/** A signed grant names no one: the signer (the per-consent key) is the revoker. */
export interface GrantMessage {
  commitment: Hex;
  expiresAt: bigint;
  deadline: bigint;
}

export interface RevokeMessage {
  commitment: Hex;
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

export function normalizeGrant(m: GrantMessage): GrantMessage {
  return { commitment: toBytes32(m.commitment, "commitment"), expiresAt: BigInt(m.expiresAt), deadline: BigInt(m.deadline) };
}

export function normalizeRevoke(m: RevokeMessage): RevokeMessage {
  return { commitment: toBytes32(m.commitment, "commitment"), deadline: BigInt(m.deadline) };
}
