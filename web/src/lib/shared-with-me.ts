import type { Hex } from "@openchart/sdk";
import type { SharedWithMe } from "@openchart/sdk/vault";
import { consentForGrant } from "./consents";
import { addressOfDid } from "./identity";
import type { SignedInUser } from "./session";

export interface ActiveShare extends SharedWithMe {
  /** The ConsentRegistry consent behind the grant: what the video consult and the audit refer to. */
  consentId: Hex;
}

/**
 * Records shared with the signed-in doctor, kept only when the grant's on-chain consent is active now:
 * a grant the patient revoked or let expire on the chain is not shown, whatever Ceramic still holds.
 */
export async function activeShares(user: SignedInUser, backing = consentForGrant): Promise<ActiveShare[]> {
  const grants = await user.vault.listSharedWithMe();
  const checked = await Promise.all(
    grants.map(async (grant) => {
      const patient = addressOfDid(grant.patient);
      const { consentId, active } = await backing(user.api, patient, user.address, grant);
      return active ? { ...grant, consentId } : undefined;
    }),
  );
  return checked.filter((share): share is ActiveShare => share !== undefined);
}
