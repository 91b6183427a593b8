// Guardian recovery, from the two sides that act in this app besides the patient's Settings:
// - the requester (the patient's new wallet) asks to recover the old account, follows the waiting period
//   and the approvals, then completes: the recovered master replaces this wallet's first one, the old
//   record index is written again under this account, and the old account's grants are listed;
// - a guardian sees the requests naming them, with the time left, and approves once the waiting period is
//   over, re-wrapping their share to the requester's key.
// The sentences about a request live here too, so the three views say the same thing the same way.
import type { MasterKey, Notification, RecoveryCompleted, RecoveryRequestView } from "@openchart/sdk";
import type { AdoptedRecords, GrantSummary } from "@openchart/sdk/vault";
import type { ApiClient } from "./api";
import type { GuardianKeys } from "./guardian-keys";
import { formatDuration, formatTime, shortHex } from "./format";
import { accountDid, addressOfDid } from "./identity";
import { UserFacingError } from "./problems";

type SignedApi = Pick<ApiClient, "signed">;

/** "0x90f7…b906": an account as the views name it. */
export function who(did: string): string {
  try {
    return shortHex(addressOfDid(did));
  } catch {
    return shortHex(did, 16);
  }
}

/** Whether guardians may approve now: the request waits and its waiting period is over. */
export const isReady = (view: Pick<RecoveryRequestView, "state" | "readyAt">, now = Date.now()): boolean => view.state === "waiting" && now >= view.readyAt;

/**
 * The waiting period in words: what a guardian, the requester and the old wallet need to know. `cancelledBy`
 * (from the cancellation's notification) says whether the account's own wallet stopped it.
 */
export function waitingWords(view: Pick<RecoveryRequestView, "state" | "readyAt" | "closedAt">, now = Date.now(), cancelledBy?: "patient" | "requester"): string {
  if (view.state === "cancelled") {
    const by = cancelledBy === "patient" ? " by the account's own wallet" : cancelledBy === "requester" ? " by the wallet that asked" : "";
    return `Cancelled${by} ${formatTime(view.closedAt ?? now)}: nothing more can happen to this request.`;
  }
  if (view.state === "completed") return `Completed ${formatTime(view.closedAt ?? now)}: the account moved to the new wallet.`;
  if (now < view.readyAt) {
    return `Waiting period: guardians can approve from ${formatTime(view.readyAt)}, in ${formatDuration(view.readyAt - now)}. Until then the account's own wallet can cancel it.`;
  }
  return "The waiting period is over: guardians can approve now. The account's own wallet can still cancel it until it is completed.";
}

/** Who cancelled each cancelled request, from the account's notifications. */
export function cancellations(notifications: readonly Notification[]): Map<string, "patient" | "requester"> {
  const by = new Map<string, "patient" | "requester">();
  for (const n of notifications) if (n.kind === "recovery.cancelled" && n.requestId && (n.by === "patient" || n.by === "requester")) by.set(n.requestId, n.by);
  return by;
}

/** "1 of the 2 approvals needed (from 0x15d3…6a65)". */
export function approvalWords(view: Pick<RecoveryRequestView, "approvals" | "threshold" | "count">): string {
  const given = view.approvals.length;
  const from = given ? ` (from ${view.approvals.map((a) => who(a.guardian)).join(", ")})` : "";
  const enough = given >= view.threshold ? ": enough to complete" : "";
  return `${given} of the ${view.threshold} approvals needed, among ${view.count} guardians${from}${enough}.`;
}

/** From the new wallet: asks to recover `oldAccount` (address or did:pkh); guardians re-wrap their shares to `myKeyDid`. */
export async function askRecovery(api: SignedApi, input: { oldAccount: string; chainId: number; me: string; myKeyDid: string }): Promise<RecoveryRequestView> {
  const patient = accountDid(input.oldAccount, input.chainId, "the lost wallet's");
  if (patient === input.me.toLowerCase()) {
    throw new UserFacingError("This is the wallet you are signed in with. Sign in with the new wallet, and enter the lost wallet's address here.", "INVALID_INPUT");
  }
  return api.signed<RecoveryRequestView>("POST", "/recovery/requests", { patient, requesterKeyDid: input.myKeyDid });
}

/** A guardian approves: their share, re-wrapped on this device to the requester's key. Refused here before the waiting period ends. */
export async function approveRecovery(
  user: { api: SignedApi; guardianKeys: Pick<GuardianKeys, "rewrap"> },
  view: RecoveryRequestView,
  now = Date.now(),
): Promise<RecoveryRequestView> {
  if (view.state !== "waiting") throw new UserFacingError(view.state === "cancelled" ? "This recovery request was cancelled." : "This recovery is already completed.", view.state === "cancelled" ? "RECOVERY_CANCELLED" : "RECOVERY_CLOSED");
  if (!isReady(view, now)) throw new UserFacingError(`The waiting period has not ended yet: you can approve from ${formatTime(view.readyAt)}.`, "RECOVERY_WAITING");
  if (view.approvedByMe) throw new UserFacingError("You have already approved this recovery.", "ALREADY_APPROVED");
  if (!view.myShare) throw new UserFacingError("Your share for this account is not in this request (the patient named new guardians since).", "NOT_GUARDIAN");
  const share = await user.guardianKeys.rewrap(view.myShare, { patient: view.patient, requesterKeyDid: view.requesterKeyDid });
  return user.api.signed<RecoveryRequestView>("POST", `/recovery/requests/${view.id}/approve`, { share });
}

/** What completing needs of the signed-in requester; `SignedInUser` has it. */
export interface Requester {
  api: SignedApi;
  encryptionKeyDid: string;
  guardianKeys: Pick<GuardianKeys, "recover">;
  vault: {
    adoptRecordsOf(oldAccount: string): Promise<AdoptedRecords>;
    listGrantsOf(account: string, onUnreadable?: (grant: { id: string }) => void): Promise<GrantSummary[]>;
  };
}

export type CompleteStep = "rebuild" | "keep" | "records" | "complete" | "grants";

export interface CompletedRecovery<U> {
  /** The requester, now holding the old account's master. */
  user: U;
  adopted: AdoptedRecords;
  revoked: RecoveryCompleted["revoked"];
  /** The old account's grants, which the recovered key opens: to re-issue or revoke. */
  oldGrants: GrantSummary[];
  /** The old account's grants the recovered key did not open: not listed, so not revocable from here. */
  unreadableGrants: number;
}

/**
 * Completes a recovery from the requester's side:
 * 1. rebuilds the old master from the re-wrapped shares, checked against the old account's published key;
 * 2. `takeOver` makes it this account's master (kept for new devices and this one; the vault reopens);
 * 3. writes the old record index again under this account (safe to repeat);
 * 4. tells the API, which deletes the old account's kept copies: the lost wallet's devices open nothing;
 * 5. lists the old account's grants.
 * Interrupted after step 2 (a reload), it runs again from step 3: the account already holds the master.
 */
export async function completeRecovery<U extends Requester>(input: {
  user: U;
  view: RecoveryRequestView;
  /** The old account's published encryption key (what the rebuilt master must derive). */
  publishedKeyDid: string | undefined;
  takeOver: (master: MasterKey) => Promise<U>;
  onStep?: (step: CompleteStep) => void;
}): Promise<CompletedRecovery<U>> {
  const { view, publishedKeyDid } = input;
  const step = input.onStep ?? (() => {});
  if (!publishedKeyDid) throw new UserFacingError("The old account has no published key: it cannot be recovered.", "NOT_FOUND", view.patient);
  let user = input.user;
  if (user.encryptionKeyDid !== publishedKeyDid) {
    if (view.approvals.length < view.threshold) throw new UserFacingError(`Not enough guardians have approved yet (${view.approvals.length} of ${view.threshold}).`, "NOT_ENOUGH_APPROVALS");
    step("rebuild");
    const master = await user.guardianKeys.recover(view.shares ?? [], { patient: view.patient, keyDid: publishedKeyDid });
    step("keep");
    user = await input.takeOver(master);
  }
  step("records");
  const adopted = await user.vault.adoptRecordsOf(view.patient);
  step("complete");
  const done = await user.api.signed<RecoveryCompleted>("POST", `/recovery/requests/${view.id}/complete`).catch((error: unknown) => {
    // Completed already (the same steps ran before a reload): the records were copied again just now, if any were missing.
    if (error instanceof UserFacingError && error.code === "RECOVERY_CLOSED") return { request: view, revoked: { walletKey: false, devices: 0 } };
    throw error;
  });
  step("grants");
  let unreadableGrants = 0;
  const oldGrants = await user.vault.listGrantsOf(view.patient, () => unreadableGrants++);
  return { user, adopted, revoked: done.revoked, oldGrants, unreadableGrants };
}

/** The outcome of a completed recovery in words. */
export function completedWords(done: Pick<CompletedRecovery<unknown>, "adopted" | "revoked" | "oldGrants" | "unreadableGrants">): string[] {
  const { copied, alreadyHere, unreadable } = done.adopted;
  const records = copied.length + alreadyHere.length;
  const lines = [`${records} record${records === 1 ? " of the old account now belongs" : "s of the old account now belong"} to this wallet (same encrypted files and receipts).`];
  if (unreadable.length) lines.push(`${unreadable.length} record${unreadable.length === 1 ? "" : "s"} of the old account did not open with the recovered key and stayed behind.`);
  const devices = done.revoked.devices;
  lines.push(
    `The lost wallet's kept key${done.revoked.walletKey ? " and" : ","} ${devices} device${devices === 1 ? "" : "s"} were deleted: a device still signed in with it opens nothing.`,
  );
  const live = done.oldGrants.filter((g) => !g.revoked && Date.parse(g.expiresAt) > Date.now());
  lines.push(
    live.length
      ? `${live.length} share${live.length === 1 ? "" : "s"} the old account made still run: revoke ${live.length === 1 ? "it" : "them"} below, and share again from this wallet if you want to.`
      : "The old account has no running shares.",
  );
  const missed = done.unreadableGrants;
  if (missed) lines.push(`${missed} share${missed === 1 ? "" : "s"} of the old account did not open with the recovered key and ${missed === 1 ? "is" : "are"} not listed.`);
  return lines;
}
