// The changes the patient makes to one doctor's shares (lib/share-groups.ts), each as the vault change
// and the matching consent relayed on the chain, signed by each consent's own key (no wallet prompt).
import type { ConsentOpening } from "@openchart/sdk";
import type { WebConfig } from "./config";
import { readConsents, relayConsent } from "./consents";
import { formatTime } from "./format";
import { verifiedDoctor } from "./licenses";
import { UserFacingError } from "./problems";
import type { DoctorShares } from "./share-groups";
import type { SignedInUser } from "./session";

type Patient = Pick<SignedInUser, "api" | "vault" | "consents">;
type ChainConfig = Pick<WebConfig, "rpcUrl" | "chainId" | "contracts">;
type Progress = (text: string) => void;

function needsOpening<T extends { opening?: unknown }>(grant: T): T & { opening: NonNullable<T["opening"]> } {
  if (!grant.opening) throw new UserFacingError("This share has no consent on the chain; revoke it and share again.", "NOT_CONFIGURED");
  return grant as T & { opening: NonNullable<T["opening"]> };
}

/**
 * Moves a share's consent on the chain to the time its grant now ends, unless the consent runs until then
 * already: another tab's extension of the same share (which the vault's retry kept) relays it too, and the
 * chain refuses a second grant to the same time.
 */
export async function consentFollows(user: Pick<Patient, "api" | "consents">, config: ChainConfig, grant: { opening: ConsentOpening; expiresAt: string }): Promise<void> {
  const until = new Date(grant.expiresAt);
  const [onChain] = await readConsents(config, [grant.opening]);
  if (onChain?.status === "active" && onChain.expiresAt >= Math.floor(until.getTime() / 1000)) return;
  await relayConsent(user.api, await user.consents.grant(grant.opening, until));
}

/**
 * Every running share with the doctor ends at `until` instead (a consent only ever moves later). The vault
 * step re-applies itself when another edit of the grant landed first; the chain step runs once, after it.
 */
export async function extendShares(user: Patient, config: ChainConfig, group: DoctorShares, until: Date, progress: Progress): Promise<string> {
  for (const grant of group.grants) {
    if (Date.parse(grant.expiresAt) >= until.getTime()) continue;
    progress(`Extending the share of ${grant.recordIds.length} record${grant.recordIds.length === 1 ? "" : "s"}…`);
    await consentFollows(user, config, needsOpening(await user.vault.extendGrant(grant.id, until)));
  }
  return `Extended: the doctor can open these records until ${formatTime(until.toISOString())}.`;
}

/** A new share of `recordIds` with the doctor, ending with the others, after their license is checked again. */
export async function addRecordsFor(user: Patient, group: DoctorShares, recordIds: readonly string[], progress: Progress): Promise<string> {
  progress("Checking the doctor's license…");
  const { doctor } = await verifiedDoctor(user.api, group.grantee);
  progress("Encrypting the record keys for the doctor…");
  const until = new Date(group.until);
  const grant = needsOpening(await user.vault.shareRecords(recordIds, doctor.did, until));
  progress("Recording the consent on the chain…");
  await relayConsent(user.api, await user.consents.grant(grant.opening, until));
  return `Added ${recordIds.length} record${recordIds.length === 1 ? "" : "s"}, shared until ${formatTime(group.until)}.`;
}

/** Each share holding the record is replaced by one without it (or revoked when it held nothing else). */
export async function removeRecordFor(user: Patient, group: DoctorShares, recordId: string, title: string, progress: Progress): Promise<string> {
  for (const grant of group.grants.filter((g) => g.recordIds.includes(recordId))) {
    const rest = grant.recordIds.filter((id) => id !== recordId);
    if (rest.length > 0) {
      progress(`Replacing a share by one without “${title}”…`);
      const { grant: next } = await user.vault.changeGrantRecords(grant.id, rest);
      await relayConsent(user.api, await user.consents.grant(needsOpening(next).opening, new Date(next.expiresAt)));
    } else {
      progress(`Revoking the share of “${title}”…`);
      await user.vault.revokeGrant(grant.id);
    }
    progress("Revoking the old consent on the chain…");
    await relayConsent(user.api, await user.consents.revoke(needsOpening(grant).opening));
  }
  return `“${title}” is no longer shared with this doctor. For a hard cut-off, give it a new key on its page.`;
}

/** Every running share with the doctor revoked, and each consent still active on the chain with it. */
export async function revokeDoctor(user: Patient, config: ChainConfig, group: DoctorShares, progress: Progress): Promise<string> {
  for (const grant of group.grants) {
    progress("Marking the share as revoked…");
    await user.vault.revokeGrant(grant.id);
    // Read again now: a consent that already ended on the chain needs no revocation.
    const [onChain] = grant.opening ? await readConsents(config, [grant.opening]) : [];
    if (grant.opening && onChain?.status === "active") {
      progress("Revoking the consent on the chain…");
      await relayConsent(user.api, await user.consents.revoke(grant.opening));
    }
  }
  return "Access revoked. For records the doctor may have saved, give them a new key on the record's page.";
}
