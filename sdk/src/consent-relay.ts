// The body of `POST /consents/relay`: a grant or revoke signed by the consent's own key, which the API
// submits and pays for. It carries the consent's revoker and commitment only: the relay never learns the
// grantee, the records or the opening.
import { consentCommitmentOf, consentKeyOf, type ConsentOpening } from "./consent.js";
import { signGrant, signRevoke } from "./consent-signature.js";
import type { Hex } from "./hex.js";

/** How long a signed request stays valid for the relayer, by default. */
export const RELAY_SIGNATURE_SECONDS = 15 * 60;

interface Signed {
  revoker: Hex;
  commitment: Hex;
  /** Seconds since the epoch after which the signature is void. */
  deadline: number;
  r: Hex;
  vs: Hex;
}

export type ConsentRelayRequest = (Signed & { kind: "grant"; expiresAt: number }) | (Signed & { kind: "revoke" });

/** What the relay answers. */
export interface ConsentRelayed {
  consentId: Hex;
  txHash: Hex;
  blockNumber: number;
}

function deadlineIn(seconds: number): bigint {
  return BigInt(Math.floor(Date.now() / 1000) + seconds);
}

/** The patient's signed grant of `opening` until `expiresAt`, made with the per-consent key (no wallet prompt). */
export async function consentGrantRequest(
  patientSecret: Uint8Array,
  opening: ConsentOpening,
  expiresAt: Date,
  validSeconds = RELAY_SIGNATURE_SECONDS,
): Promise<ConsentRelayRequest> {
  const key = consentKeyOf(patientSecret, opening.salt);
  const commitment = consentCommitmentOf(opening);
  const signed = await signGrant(key, { chainId: opening.chainId, contract: opening.registry }, {
    commitment,
    expiresAt: BigInt(Math.floor(expiresAt.getTime() / 1000)),
    deadline: deadlineIn(validSeconds),
  });
  return {
    kind: "grant",
    revoker: opening.revoker,
    commitment,
    expiresAt: Number(signed.message.expiresAt),
    deadline: Number(signed.message.deadline),
    r: signed.r,
    vs: signed.vs,
  };
}

/** The patient's signed revoke of `opening`. */
export async function consentRevokeRequest(
  patientSecret: Uint8Array,
  opening: ConsentOpening,
  validSeconds = RELAY_SIGNATURE_SECONDS,
): Promise<ConsentRelayRequest> {
  const key = consentKeyOf(patientSecret, opening.salt);
  const commitment = consentCommitmentOf(opening);
  const signed = await signRevoke(key, { chainId: opening.chainId, contract: opening.registry }, { commitment, deadline: deadlineIn(validSeconds) });
  return { kind: "revoke", revoker: opening.revoker, commitment, deadline: Number(signed.message.deadline), r: signed.r, vs: signed.vs };
}
