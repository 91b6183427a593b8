import { Signature, verifyTypedData, type Signer as EthersSigner } from "ethers";
import { consentDomain, grantTypes, normalizeGrant, normalizeRevoke, revokeTypes, type GrantMessage, type RevokeMessage } from "./consent-domain.js";
import type { Hex } from "./hex.js";

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

/** The per-consent key (see consentKeyOf), or any signer in tests. */
type Signer = Pick<EthersSigner, "signTypedData">;

/** The consent key signs a grant that anyone (the API's relayer) may then submit with `grantBySig`. */
export async function signGrant(
  key: Signer,
  target: ConsentTarget,
  m: GrantMessage,
): Promise<CompactSignature & { message: GrantMessage }> {
  const message = normalizeGrant(m);
  const signature = await key.signTypedData(consentDomain(target.chainId, target.contract), grantTypes, message);
  return { message, ...compact(signature) };
}

/** The consent key signs a revoke that anyone may submit with `revokeBySig`. */
export async function signRevoke(
  key: Signer,
  target: ConsentTarget,
  m: RevokeMessage,
): Promise<CompactSignature & { message: RevokeMessage }> {
  const message = normalizeRevoke(m);
  const signature = await key.signTypedData(consentDomain(target.chainId, target.contract), revokeTypes, message);
  return { message, ...compact(signature) };
}

/** Who signed a grant: lets a relayer refuse a bad signature before paying gas for a revert. */
export function grantSigner(target: ConsentTarget, m: GrantMessage, signature: CompactSignature): Hex {
  const domain = consentDomain(target.chainId, target.contract);
  return verifyTypedData(domain, grantTypes, normalizeGrant(m), expand(signature)).toLowerCase() as Hex;
}

/** Who signed a revoke. */
export function revokeSigner(target: ConsentTarget, m: RevokeMessage, signature: CompactSignature): Hex {
  const domain = consentDomain(target.chainId, target.contract);
  return verifyTypedData(domain, revokeTypes, normalizeRevoke(m), expand(signature)).toLowerCase() as Hex;
}

function compact(signature: string): CompactSignature {
  const parsed = Signature.from(signature);
  return { r: parsed.r as Hex, vs: parsed.yParityAndS as Hex };
}

function expand({ r, vs }: CompactSignature): Signature {
  return Signature.from({ r, yParityAndS: vs });
}
