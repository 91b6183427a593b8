// After a recovery, the old account's shares (grants): the recovered master opens them as their author,
// and derives each consent's key, so this wallet can end each old consent on the chain, and share the same
// records again from this account (the old grant points at the old record documents, which only the old
// DID can change). See docs/privacy.md, "After a guardian recovery".
import type { ConsentOpening, ConsentRelayRequest } from "@openchart/sdk";
import type { AdoptedRecords, GrantSummary } from "@openchart/sdk/vault";
import type { ApiClient } from "./api";
import type { WebConfig } from "./config";
import { readConsents, relayConsent } from "./consents";
import { verifiedDoctor } from "./licenses";
import { UserFacingError } from "./problems";

type Config = Pick<WebConfig, "rpcUrl" | "chainId" | "contracts">;

interface Patient {
  api: ApiClient;
  consents: { grant(opening: ConsentOpening, expiresAt: Date): Promise<ConsentRelayRequest>; revoke(opening: ConsentOpening): Promise<ConsentRelayRequest> };
  vault: { shareRecords(recordIds: readonly string[], granteeDid: string, expiresAt: Date): Promise<GrantSummary> };
}

/** Whether an old grant still lets its grantee in: not marked revoked and not expired. */
export const isRunning = (grant: Pick<GrantSummary, "revoked" | "expiresAt">, now = Date.now()): boolean => !grant.revoked && Date.parse(grant.expiresAt) > now;

/**
 * Ends an old grant's consent on the chain, signed by the consent's key (derived from the recovered
 * master): no wallet prompt. Returns false when the consent was not active (nothing to do).
 */
export async function endOldConsent(user: Pick<Patient, "api" | "consents">, config: Config, grant: GrantSummary): Promise<boolean> {
  if (!grant.opening) return false;
  const [consent] = await readConsents(config, [grant.opening]);
  if (consent?.status !== "active") return false;
  await relayConsent(user.api, await user.consents.revoke(grant.opening));
  return true;
}

/**
 * Shares again, from this account, the records an old grant covered (their copies under this account,
 * from `adopted`), with the same grantee and expiry, after checking the grantee's license as any share
 * does; then records the consent on the chain. Returns the new grant.
 */
export async function reissueGrant(user: Patient, config: Config, grant: GrantSummary, adopted: Pick<AdoptedRecords, "copied">): Promise<GrantSummary> {
  if (!isRunning(grant)) throw new UserFacingError("This share has ended: there is nothing to share again.", "INVALID_INPUT");
  const copies = new Map(adopted.copied.map((c) => [c.from, c.to]));
  const recordIds = grant.recordIds.map((id) => copies.get(id)).filter((id): id is string => id !== undefined);
  if (recordIds.length === 0) {
    throw new UserFacingError("None of this share's records were moved in this session: share them again from your records.", "NOT_FOUND");
  }
  const doctor = await verifiedDoctor(user.api, grant.grantee);
  const expiresAt = new Date(grant.expiresAt);
  const shared = await user.vault.shareRecords(recordIds, doctor.doctor.did, expiresAt);
  if (!shared.opening) throw new UserFacingError("This site has no consent registry configured; ask its operator.", "NOT_CONFIGURED");
  await relayConsent(user.api, await user.consents.grant(shared.opening, expiresAt));
  return shared;
}
