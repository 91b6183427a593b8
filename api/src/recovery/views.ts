import type { GuardedAccount, GuardianSetView, RecoveryRequestView } from "@openchart/sdk";
import type { GuardedDbRow } from "../store/account-rows.js";
import type { RecoveryTx } from "../store/store.js";
import type { Party } from "./rules.js";

type Reader = Pick<RecoveryTx, "sql">;

/**
 * A request as its party sees it: everyone sees its state and who approved; the patient also sees who has
 * not; a guardian sees its own share (to re-wrap); the requester sees the re-wrapped shares. A requester
 * learns no guardian who has not approved: a stranger asking to recover an account does not learn who
 * guards it.
 */
export async function requestView(tx: Reader, { row, role, guardians }: Party, caller: string): Promise<RecoveryRequestView> {
  const approvals = await tx.sql.recovery.approvals(row.id);
  const view: RecoveryRequestView = {
    id: row.id,
    role,
    patient: row.patient,
    requester: row.requester,
    requesterKeyDid: row.requester_key,
    setId: row.set_id,
    threshold: row.threshold,
    count: guardians.length,
    state: row.state,
    createdAt: row.created_at,
    readyAt: row.ready_at,
    closedAt: row.closed_at,
    approvals: approvals.map((a) => ({ guardian: a.guardian, approvedAt: a.approved_at })),
  };
  if (role === "patient") view.waitingFor = guardians.filter((g) => !approvals.some((a) => a.guardian === g));
  if (role === "guardian") {
    view.approvedByMe = approvals.some((a) => a.guardian === caller);
    const set = await tx.sql.recovery.guardianSet(row.patient);
    const mine = set?.set_id === row.set_id ? (await tx.sql.recovery.guardiansOf(row.patient)).find((g) => g.guardian === caller) : undefined;
    if (mine) view.myShare = mine.share;
  }
  if (role === "requester") view.shares = approvals.map((a) => ({ guardian: a.guardian, share: a.share }));
  return view;
}

export async function guardianSetView(tx: Reader, patient: string): Promise<GuardianSetView | null> {
  const set = await tx.sql.recovery.guardianSet(patient);
  if (!set) return null;
  const guardians = await tx.sql.recovery.guardiansOf(patient);
  return { setId: set.set_id, threshold: set.threshold, guardians: guardians.map((g) => ({ did: g.guardian, keyDid: g.key_did })), updatedAt: set.updated_at };
}

export function guardedView(row: GuardedDbRow): GuardedAccount {
  return { patient: row.patient, setId: row.set_id, threshold: row.threshold, count: row.count, share: row.share, since: row.updated_at };
}
