import { randomBytes } from "node:crypto";
import { isAccountDid, normalizeAccountDid, type GuardianSetBody, type NotificationDraft } from "@openchart/sdk";
import { apiError } from "../errors.js";
import type { RecoveryDbRow } from "../store/account-rows.js";
import type { RecoveryTx } from "../store/store.js";

// The rules of guardian recovery, run inside one store transaction each (RecoveryStore.run): a refusal
// throws an ApiError, which rolls back everything the step wrote, so a refused step changes nothing.
// The acting DID is always the verified caller's; the patient, guardians and requester are compared in
// normalized form (a did:pkh's address in lower case), as the API names its signed-in callers.

/** How many requests may wait at once for one account (each from a different requester). */
export const MAX_OPEN_REQUESTS = 5;
export const LIST_LIMIT = 50;

export type Role = "patient" | "requester" | "guardian";

export interface Party {
  row: RecoveryDbRow;
  role: Role;
  guardians: string[];
}

const openOf = (rows: RecoveryDbRow[]) => rows.filter((r) => r.state === "waiting");

async function refuseWhileOpen(tx: RecoveryTx, patient: string, what: string): Promise<void> {
  const open = openOf(await tx.sql.recovery.requestsBy({ patient }, LIST_LIMIT));
  if (open.length > 0) {
    throw apiError("RECOVERY_PENDING", `a recovery request for your account is waiting (${open[0]!.id}): cancel it before you ${what}`);
  }
}

/** `PUT /recovery/guardians`: replaces the caller's guardian set with a new split. */
export async function setGuardians(tx: RecoveryTx, patient: string, body: GuardianSetBody, now: number): Promise<void> {
  const guardians = body.guardians.map((g) => {
    if (!isAccountDid(g.did)) throw apiError("INVALID_REQUEST", `guardian ${g.did} is not a did:pkh:eip155 account or a did:key`);
    if (!isSealedShare(g.share)) throw apiError("INVALID_REQUEST", `the share of guardian ${g.did} is not a sealed share (JSON with ephemeralKey, viewTag and sealed)`);
    return { ...g, did: normalizeAccountDid(g.did) };
  });
  if (body.threshold > guardians.length) {
    throw apiError("INVALID_REQUEST", `the threshold (${body.threshold}) is more than the number of guardians (${guardians.length})`);
  }
  if (new Set(guardians.map((g) => g.did)).size !== guardians.length) throw apiError("INVALID_REQUEST", "a guardian is named twice: each guardian holds one share");
  if (guardians.some((g) => g.did === patient)) throw apiError("INVALID_REQUEST", "you cannot be your own guardian: pick other people");
  await refuseWhileOpen(tx, patient, "change your guardians");
  const before = new Set((await tx.sql.recovery.guardiansOf(patient)).map((g) => g.guardian));
  await tx.sql.recovery.replaceSet(
    { patient, set_id: body.setId, threshold: body.threshold, updated_at: now },
    guardians.map((g, position) => ({ patient, guardian: g.did, position, key_did: g.keyDid, share: g.share })),
  );
  tx.audit({ subject: patient, action: "recovery.guardians.put", decision: "accepted", refs: { setId: body.setId, threshold: body.threshold, guardians: guardians.map((g) => g.did) } });
  for (const g of guardians) if (!before.has(g.did)) tx.notify(g.did, { kind: "guardian.named", patient });
  const after = new Set(guardians.map((g) => g.did));
  for (const did of before) if (!after.has(did)) tx.notify(did, { kind: "guardian.removed", patient });
}

/** `DELETE /recovery/guardians`: the caller names no guardians any more; their shares are deleted. */
export async function removeGuardians(tx: RecoveryTx, patient: string): Promise<void> {
  const set = await tx.sql.recovery.guardianSet(patient);
  if (!set) throw apiError("GUARDIANS_UNKNOWN", "your account has no guardians to remove");
  await refuseWhileOpen(tx, patient, "remove your guardians");
  const guardians = await tx.sql.recovery.guardiansOf(patient);
  await tx.sql.recovery.deleteSet(patient);
  tx.audit({ subject: patient, action: "recovery.guardians.delete", decision: "accepted", refs: { setId: set.set_id } });
  for (const g of guardians) tx.notify(g.guardian, { kind: "guardian.removed", patient });
}

/** `POST /recovery/requests`, from the new wallet's session: opens the waiting period. */
export async function openRequest(tx: RecoveryTx, requester: string, body: { patient: string; requesterKeyDid: string }, now: number, waitMs: number): Promise<RecoveryDbRow> {
  if (!isAccountDid(body.patient)) throw apiError("INVALID_REQUEST", `${body.patient} is not a did:pkh:eip155 account or a did:key`);
  const patient = normalizeAccountDid(body.patient);
  if (patient === requester) throw apiError("INVALID_REQUEST", "this session is the account's own: ask for its recovery from the new wallet's session");
  const set = await tx.sql.recovery.guardianSet(patient);
  if (!set) throw apiError("GUARDIANS_UNKNOWN", `${patient} has no guardians: it cannot be recovered through guardians`);
  const guardians = (await tx.sql.recovery.guardiansOf(patient)).map((g) => g.guardian);
  if (guardians.includes(requester)) throw apiError("FORBIDDEN", "a guardian of this account cannot also be the one who asks for its recovery");
  const open = openOf(await tx.sql.recovery.requestsBy({ patient }, LIST_LIMIT));
  const mine = open.find((r) => r.requester === requester);
  if (mine) throw apiError("RECOVERY_PENDING", `you already asked to recover this account: request ${mine.id} is waiting`);
  if (open.length >= MAX_OPEN_REQUESTS) throw apiError("RECOVERY_PENDING", `${open.length} recovery requests for this account are waiting already: try again once they are closed`);
  const row: RecoveryDbRow = {
    id: randomBytes(16).toString("hex"),
    patient,
    requester,
    requester_key: body.requesterKeyDid,
    set_id: set.set_id,
    threshold: set.threshold,
    created_at: now,
    ready_at: now + waitMs,
    state: "waiting",
    closed_at: null,
  };
  await tx.sql.recovery.insertRequest(row, guardians);
  tx.audit({ subject: patient, action: "recovery.request", decision: "accepted", refs: { requestId: row.id, requester, readyAt: row.ready_at } });
  const told: NotificationDraft = { kind: "recovery.requested", requestId: row.id, patient, requester, readyAt: row.ready_at };
  for (const did of [patient, requester, ...guardians]) tx.notify(did, told);
  return row;
}

/** The request and which side the caller is on; RECOVERY_UNKNOWN for anyone who is no party to it. */
export async function partyOf(tx: Pick<RecoveryTx, "sql">, id: string, caller: string): Promise<Party> {
  const row = await tx.sql.recovery.request(id);
  const guardians = row ? await tx.sql.recovery.requestGuardians(id) : [];
  const role: Role | undefined = !row ? undefined : row.patient === caller ? "patient" : row.requester === caller ? "requester" : guardians.includes(caller) ? "guardian" : undefined;
  if (!row || !role) throw apiError("RECOVERY_UNKNOWN", `no recovery request ${id} names you`);
  return { row, role, guardians };
}

function refuseClosed(row: RecoveryDbRow): void {
  if (row.state === "cancelled") throw apiError("RECOVERY_CANCELLED", `recovery request ${row.id} was cancelled: nothing more can happen to it`);
  if (row.state === "completed") throw apiError("RECOVERY_CLOSED", `recovery request ${row.id} is already completed`);
}

function tell(tx: RecoveryTx, party: Party, draft: NotificationDraft, to: readonly Role[]): void {
  const { row, guardians } = party;
  const dids = [...(to.includes("patient") ? [row.patient] : []), ...(to.includes("requester") ? [row.requester] : []), ...(to.includes("guardian") ? guardians : [])];
  for (const did of dids) tx.notify(did, draft);
}

/** `POST /recovery/requests/:id/cancel`: the patient's old session stops it (or its requester withdraws it). */
export async function cancelRequest(tx: RecoveryTx, caller: string, id: string, now: number): Promise<Party> {
  const party = await partyOf(tx, id, caller);
  if (party.role === "guardian") throw apiError("FORBIDDEN", "a guardian does not cancel a recovery: simply do not approve it");
  refuseClosed(party.row);
  await tx.sql.recovery.close(id, "cancelled", now);
  const by = party.role === "patient" ? "patient" : "requester";
  tx.audit({ subject: party.row.patient, action: "recovery.cancel", decision: "accepted", refs: { requestId: id, by } });
  tell(tx, party, { kind: "recovery.cancelled", requestId: id, patient: party.row.patient, by }, ["patient", "requester", "guardian"]);
  return { ...party, row: { ...party.row, state: "cancelled", closed_at: now } };
}

/** `POST /recovery/requests/:id/approve`: one guardian's share, re-wrapped to the requester's key. */
export async function approveRequest(tx: RecoveryTx, caller: string, id: string, share: string, now: number): Promise<Party> {
  const row = await tx.sql.recovery.request(id);
  const guardians = row ? await tx.sql.recovery.requestGuardians(id) : [];
  if (!row || !guardians.includes(caller)) {
    throw apiError("NOT_GUARDIAN", `you are not one of the guardians recovery request ${id} was asked of: only they can approve it with their share`);
  }
  refuseClosed(row);
  if (now < row.ready_at) {
    throw apiError(
      "RECOVERY_WAITING",
      `guardians can approve from ${new Date(row.ready_at).toISOString()}: until then the patient's old wallet can cancel this request`,
      { retryAfterSeconds: (row.ready_at - now) / 1000 },
    );
  }
  if ((await tx.sql.recovery.approvals(id)).some((a) => a.guardian === caller)) {
    throw apiError("ALREADY_APPROVED", "you already approved this request: your share counts once");
  }
  if (!isSealedShare(share)) throw apiError("INVALID_REQUEST", "share is not a sealed share (JSON with ephemeralKey, viewTag and sealed)");
  await tx.sql.recovery.insertApproval({ request_id: id, guardian: caller, share, approved_at: now });
  tx.audit({ subject: row.patient, action: "recovery.approve", decision: "accepted", refs: { requestId: id, guardian: caller } });
  const party: Party = { row, role: "guardian", guardians };
  tell(tx, party, { kind: "recovery.approved", requestId: id, patient: row.patient, guardian: caller }, ["patient", "requester"]);
  return party;
}

/**
 * `POST /recovery/requests/:id/complete`, by the requester once it rebuilt the master: the request closes,
 * and the old account's wallet-wrapped master, device entries and guardian set are deleted, so the lost
 * wallet (and any device still signed in with it) opens nothing new.
 */
export async function completeRequest(tx: RecoveryTx, caller: string, id: string, now: number): Promise<{ party: Party; walletKey: boolean; devices: number }> {
  const party = await partyOf(tx, id, caller);
  if (party.role !== "requester") throw apiError("FORBIDDEN", "only the requester, holding the rebuilt key, completes a recovery");
  const { row } = party;
  refuseClosed(row);
  const approvals = await tx.sql.recovery.approvals(id);
  if (approvals.length < row.threshold) {
    throw apiError("NOT_ENOUGH_APPROVALS", `${approvals.length} of the ${row.threshold} guardian approvals needed: fewer shares open nothing`);
  }
  await tx.sql.recovery.close(id, "completed", now);
  const walletKey = await tx.sql.wrappedKeys.delete(row.patient);
  const devices = await tx.sql.devices.deleteAll(row.patient);
  const set = await tx.sql.recovery.guardianSet(row.patient);
  if (set?.set_id === row.set_id) await tx.sql.recovery.deleteSet(row.patient);
  tx.audit({ subject: row.patient, action: "recovery.complete", decision: "accepted", refs: { requestId: id, requester: row.requester, walletKey: String(walletKey), devices } });
  tell(tx, party, { kind: "recovery.completed", requestId: id, patient: row.patient, requester: row.requester }, ["patient", "requester", "guardian"]);
  tx.notify(row.patient, { kind: "devices.revoked", count: devices });
  return { party: { ...party, row: { ...row, state: "completed", closed_at: now } }, walletKey, devices };
}

function isSealedShare(share: string): boolean {
  try {
    const o = JSON.parse(share) as Record<string, unknown> | null;
    return typeof o?.ephemeralKey === "string" && typeof o.viewTag === "string" && typeof o.sealed === "string";
  } catch {
    return false;
  }
}
