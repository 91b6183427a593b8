import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { consentKeyOf, newSalt, signGrant, signRevoke, type Hex } from "@openchart/sdk";
import type { Signer } from "ethers";
import type { ConsentRegistry } from "../typechain-types";

// Shared by ConsentRegistry's test files (mocha loads this file too; it defines no tests).
export const DAY = 86_400n;
export const NONE = 0n;
export const ACTIVE = 1n;
export const EXPIRED = 2n;
export const REVOKED = 3n;

export async function deployed() {
  const [patient, relayer, attacker] = (await ethers.getSigners()) as HardhatEthersSigner[];
  const registry = await ethers.deployContract("ConsentRegistry");
  const now = BigInt(await time.latest());
  // A per-consent key, derived as the sdk derives it: unfunded, it only signs.
  const key = consentKeyOf(new Uint8Array(32).fill(7), newSalt());
  return { registry, patient: patient!, relayer: relayer!, attacker: attacker!, key, now };
}

export async function targetOf(registry: ConsentRegistry, override?: { chainId?: bigint; contract?: string }) {
  const { chainId } = await ethers.provider.getNetwork();
  return { chainId: override?.chainId ?? chainId, contract: override?.contract ?? (await registry.getAddress()) };
}

/** A grant signed through the sdk, as the web app signs it, and the call that relays it. */
export async function signedGrant(
  registry: ConsentRegistry,
  signer: Pick<Signer, "signTypedData">,
  m: { commitment: Hex; expiresAt: bigint; deadline: bigint },
  target?: { chainId?: bigint; contract?: string },
) {
  return signGrant(signer, await targetOf(registry, target), m);
}

export async function signedRevoke(
  registry: ConsentRegistry,
  signer: Pick<Signer, "signTypedData">,
  m: { commitment: Hex; deadline: bigint },
  target?: { chainId?: bigint; contract?: string },
) {
  return signRevoke(signer, await targetOf(registry, target), m);
}
