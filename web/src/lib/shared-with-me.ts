import type { ConsentOpening, Hex } from "@openchart/sdk";
import type { SharedWithMe } from "@openchart/sdk/vault";
import { readConsents, type ConsentView } from "./consents";
import type { WebConfig } from "./config";
import type { SignedInUser } from "./session";

export interface ActiveShare extends SharedWithMe {
  /** The consent behind the grant, from inside the sealed grant: what the video consult presents. */
  opening: ConsentOpening;
  consentId: Hex;
}

export type ConsentReader = (openings: readonly ConsentOpening[]) => Promise<ConsentView[]>;

/**
 * Records shared with the signed-in doctor (found by a stealth scan of the sealed grants), kept only when
 * the grant's on-chain consent is active now: a grant with no consent, or one the patient revoked or let
 * expire on the chain, is not shown, whatever Ceramic still holds.
 */
export async function activeShares(user: Pick<SignedInUser, "vault">, read: ConsentReader): Promise<ActiveShare[]> {
  const grants = (await user.vault.listSharedWithMe()).filter((g): g is SharedWithMe & { opening: ConsentOpening } => g.opening !== undefined);
  // A grant whose opening names someone else than the grant says was not made by this app: not trusted.
  const consistent = grants.filter((g) => g.opening.grantee === g.grantee && g.opening.patient === g.patient);
  const states = await read(consistent.map((g) => g.opening));
  return consistent.flatMap((g, i) => (states[i]?.status === "active" ? [{ ...g, consentId: states[i]!.consentId }] : []));
}

/** Reads consents through the site's configured chain. */
export const chainReader =
  (config: WebConfig): ConsentReader =>
  (openings) =>
    readConsents(config, openings);
