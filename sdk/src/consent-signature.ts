import { Signature, verifyTypedData, type Signer as EthersSigner } from "ethers";
import { consentDomain, grantTypes, revokeTypes, type GrantMessage, type RevokeMessage } from "./consent.js";
import { toAddress, toBytes32, type Hex } from "./hex.js";

/** Where a signed request is valid: the ConsentRegistry's chain and address (EIP-712 domain). */
export interface ConsentTarget {
  chainId: bigint | number;
  contract: string;
}

/** An EIP-2098 compact signature, as `grantBySig` / `revokeBySig` take it. */
export interface CompactSignature {
  r: Hex;
  vs: Hex;
}

type Signer = Pick<EthersSigner, "signTypedData">;

/** The patient signs a grant that anyone (the API's relayer) may then submit with `grantBySig`. */
export async function signGrant(
  signer: Signer,
  target: ConsentTarget,
  message: GrantMessage,
): Promise<CompactSignature & { message: GrantMessage }> {
  const normalized: GrantMessage = {
    ...message,
    patient: toAddress(message.patient, "patient"),
    grantee: toAddress(message.grantee, "grantee"),
    scope: toBytes32(message.scope, "scope"),
  };
  const signature = await signer.signTypedData(consentDomain(target.chainId, target.contract), grantTypes, normalized);
  return { message: normalized, ...compact(signature) };
}

/** The patient signs a revoke that anyone may submit with `revokeBySig`. */
export async function signRevoke(
  signer: Signer,
  target: ConsentTarget,
  message: RevokeMessage,
): Promise<CompactSignature & { message: RevokeMessage }> {
  const normalized: RevokeMessage = {
    ...message,
    patient: toAddress(message.patient, "patient"),
    consentId: toBytes32(message.consentId, "consentId"),
  };
  const signature = await signer.signTypedData(consentDomain(target.chainId, target.contract), revokeTypes, normalized);
  return { message: normalized, ...compact(signature) };
}

/** Who signed a grant: lets a relayer refuse a bad signature before paying gas for a revert. */
export function grantSigner(target: ConsentTarget, message: GrantMessage, signature: CompactSignature): Hex {
  return verifyTypedData(consentDomain(target.chainId, target.contract), grantTypes, message, expand(signature)).toLowerCase() as Hex;
}

/** Who signed a revoke. */
export function revokeSigner(target: ConsentTarget, message: RevokeMessage, signature: CompactSignature): Hex {
  return verifyTypedData(consentDomain(target.chainId, target.contract), revokeTypes, message, expand(signature)).toLowerCase() as Hex;
}

function compact(signature: string): CompactSignature {
  const parsed = Signature.from(signature);
  return { r: parsed.r as Hex, vs: parsed.yParityAndS as Hex };
}

function expand({ r, vs }: CompactSignature): Signature {
  return Signature.from({ r, yParityAndS: vs });
}
