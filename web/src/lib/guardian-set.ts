// Settings, "Guardians": the patient names k-of-n guardians (other OpenChart users, by address or
// did:pkh), sees each guardian's part in an open recovery request, and, from the old wallet, cancels a
// request that is not theirs. The master never leaves this device: the split and the sealing happen here
// (SignedInUser.guardianKeys), the API keeps only sealed shares.
import { MAX_GUARDIANS, MIN_GUARDIAN_THRESHOLD, type GuardianPick, type GuardianSetView, type RecoveryLists, type RecoveryRequestView } from "@openchart/sdk";
import type { ApiClient } from "./api";
import { formatTime } from "./format";
import type { GuardianKeys } from "./guardian-keys";
import { accountDid } from "./identity";
import { UserFacingError } from "./problems";

/** What checking the form found: the picks, or a sentence per field (same index as the inputs) and for the threshold. */
export interface GuardianPicks {
  picks: GuardianPick[];
  fieldErrors: (string | undefined)[];
  thresholdError?: string;
  ok: boolean;
}

/**
 * Checks the guardians typed into the form (blank rows are left out) and finds each one's published
 * encryption key, which their share is sealed to. Every problem is reported next to its field.
 */
export async function checkGuardianPicks(
  inputs: readonly string[],
  threshold: number,
  context: { chainId: number; me: string; publishedKeyOf: (did: string) => Promise<string | undefined> },
): Promise<GuardianPicks> {
  const fieldErrors: (string | undefined)[] = inputs.map(() => undefined);
  const seen = new Map<string, number>();
  const candidates: { index: number; did: string }[] = [];
  inputs.forEach((input, index) => {
    if (!input.trim()) return;
    let did: string;
    try {
      did = accountDid(input, context.chainId, "the guardian's");
    } catch (error) {
      fieldErrors[index] = (error as Error).message;
      return;
    }
    if (did === context.me.toLowerCase()) fieldErrors[index] = "This is your own account: a guardian must be someone else.";
    else if (seen.has(did)) fieldErrors[index] = `Already named in row ${seen.get(did)! + 1}: each guardian holds one share.`;
    else {
      seen.set(did, index);
      candidates.push({ index, did });
    }
  });
  const keys = await Promise.all(candidates.map((c) => context.publishedKeyOf(c.did)));
  const picks: GuardianPick[] = [];
  candidates.forEach(({ index, did }, i) => {
    const keyDid = keys[i];
    if (keyDid) picks.push({ did, keyDid });
    else fieldErrors[index] = "This account has not used OpenChart yet (no published key): ask them to sign in once, then try again.";
  });
  const named = inputs.filter((i) => i.trim()).length;
  let thresholdError: string | undefined;
  if (named < MIN_GUARDIAN_THRESHOLD || named > MAX_GUARDIANS) {
    thresholdError = `Name from ${MIN_GUARDIAN_THRESHOLD} to ${MAX_GUARDIANS} guardians (you named ${named}).`;
  } else if (!Number.isInteger(threshold) || threshold < MIN_GUARDIAN_THRESHOLD || threshold > named) {
    thresholdError = `The number of approvals needed must be from ${MIN_GUARDIAN_THRESHOLD} to ${named}, the number of guardians you named.`;
  }
  const ok = !thresholdError && fieldErrors.every((e) => e === undefined);
  return { picks, fieldErrors, ...(thresholdError ? { thresholdError } : {}), ok };
}

/** The guardian set the API keeps for the signed-in account, or null when none is named. */
export async function readGuardianSet(api: Pick<ApiClient, "signed">): Promise<GuardianSetView | null> {
  return api.signed<GuardianSetView>("GET", "/recovery/guardians").catch((error: unknown) => {
    if (error instanceof UserFacingError && error.code === "GUARDIANS_UNKNOWN") return null;
    throw error;
  });
}

/** Splits the master to the picked guardians (on this device) and has the API keep the sealed shares. Replaces an earlier set. */
export async function nameGuardians(
  user: { api: Pick<ApiClient, "signed">; guardianKeys: Pick<GuardianKeys, "split"> },
  threshold: number,
  picks: readonly GuardianPick[],
): Promise<void> {
  const body = await user.guardianKeys.split(threshold, picks);
  await user.api.signed("PUT", "/recovery/guardians", body);
}

export interface GuardianState {
  did: string;
  /** "approved the recovery asked on … at …", "has not approved the recovery asked on …", "no recovery is asked". */
  state: string;
  approved: boolean;
}

/** Each named guardian's part in the newest open recovery request of the account (or none). */
export function guardianStates(set: GuardianSetView, asPatient: readonly RecoveryRequestView[]): GuardianState[] {
  const open = asPatient.find((r) => r.state === "waiting" && r.setId === set.setId);
  return set.guardians.map(({ did }) => {
    const approval = open?.approvals.find((a) => a.guardian === did);
    if (!open) return { did, approved: false, state: "no recovery is asked" };
    if (approval) return { did, approved: true, state: `approved the recovery asked ${formatTime(open.createdAt)}, at ${formatTime(approval.approvedAt)}` };
    return { did, approved: false, state: `has not approved the recovery asked ${formatTime(open.createdAt)}` };
  });
}

/** The recovery requests naming the signed-in account, by side. */
export function readRecoveryLists(api: Pick<ApiClient, "signed">): Promise<RecoveryLists> {
  return api.signed<RecoveryLists>("GET", "/recovery/requests");
}

/** Cancels a recovery request: the patient's old wallet (not theirs), or its requester (withdrawn). */
export async function cancelRecovery(api: Pick<ApiClient, "signed">, requestId: string): Promise<RecoveryRequestView> {
  return api.signed<RecoveryRequestView>("POST", `/recovery/requests/${requestId}/cancel`);
}
