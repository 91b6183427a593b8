import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { signGrant, signRevoke, type GrantMessage } from "@openchart/sdk";
import type { ConsentRegistry } from "../typechain-types";

// Shared by ConsentRegistry's test files (mocha loads this file too; it defines no tests).
export const DAY = 86_400n;
export const NONE = 0n;
export const ACTIVE = 1n;
export const EXPIRED = 2n;

export async function deployed() {
  const [patient, doctor, relayer, stranger] = (await ethers.getSigners()) as HardhatEthersSigner[];
  const registry = await ethers.deployContract("ConsentRegistry");
  const now = BigInt(await time.latest());
  return { registry, patient: patient!, doctor: doctor!, relayer: relayer!, stranger: stranger!, now };
}

/** The patient's (or an impostor's) EIP-712 grant, signed through the sdk as the web app signs it. */
export async function signedGrant(
  registry: ConsentRegistry,
  signer: HardhatEthersSigner,
  fields: Partial<GrantMessage> & { grantee: string; scope: string; expiresAt: bigint; deadline: bigint },
  target?: { chainId?: bigint; contract?: string },
) {
  const { chainId } = await ethers.provider.getNetwork();
  const patient = fields.patient ?? signer.address;
  return signGrant(
    signer,
    { chainId: target?.chainId ?? chainId, contract: target?.contract ?? (await registry.getAddress()) },
    { patient, nonce: fields.nonce ?? (await registry.nonces(patient)), ...fields },
  );
}

export async function signedRevoke(
  registry: ConsentRegistry,
  signer: HardhatEthersSigner,
  consentId: string,
  deadline: bigint,
  patient = signer.address,
) {
  const { chainId } = await ethers.provider.getNetwork();
  const target = { chainId, contract: await registry.getAddress() };
  return signRevoke(signer, target, { patient, consentId, nonce: await registry.nonces(patient), deadline });
}

