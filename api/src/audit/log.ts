import { createHash } from "node:crypto";
// The audit thread loads this module: the chain rule alone, not the whole sdk (about 0.8 s of CPU per API start).
import { auditEntryHash, GENESIS_HASH } from "@openchart/sdk/audit-chain";
import type { Hex } from "@openchart/sdk";

/**
 * The audit log: one entry per decision the API makes about a patient's data. Entries hold
 * identifiers and decisions only (DIDs, leaves, roots, key hashes), never content. Each entry's
 * hash covers its fields and the previous entry's hash, so changing, removing or reordering any
 * entry breaks every later hash; the head is anchored on chain with each batch (see the batcher),
 * so even the operator cannot rewrite history before an anchored head.
 */
export interface AuditDraft {
  /** Whose data the decision is about (a DID), or "anonymous" before sign-in exists. */
  subject: string;
  action: AuditAction;
  /** "ended": something allowed before stopped being allowed (a consult call cut off by a revoke). */
  decision: "accepted" | "refused" | "allowed" | "confirmed" | "ended";
  /** Identifiers only: leaves, roots, tx hashes, hashed keys. */
  refs: Record<string, string | number | string[]>;
}

export type AuditAction =
  | "anchor.submit"
  | "anchor.batch"
  | "audit.read"
  | "consent.relay"
  | "license.issue"
  | "license.revoke"
  | "license.present"
  | "license.suspend"
  | "license.reinstate"
  | "consult.token"
  | "consult.call"
  | "ai.chat"
  | "keys.wrapped.put"
  | "keys.wrapped.get"
  | "keys.devices.put"
  | "keys.devices.get"
  | "keys.devices.delete"
  | "keys.devices.revoke-all"
  | "recovery.guardians.put"
  | "recovery.guardians.delete"
  | "recovery.request"
  | "recovery.cancel"
  | "recovery.approve"
  | "recovery.complete"
  | "pin.request"
  | "pin.unpin"
  | "access.report"
  | "shl.create"
  | "shl.revoke"
  | "shl.manifest"
  | "shl.file"
  | "appointment.slots"
  | "appointment.book"
  | "appointment.cancel"
  | "appointment.reschedule"
  | "prescription.register"
  | "prescription.verify"
  | "prescription.dispense"
  | "prescription.cancel"
  | "directory.list"
  | "directory.unlist"
  | "profile.put";

export interface AuditEntry extends AuditDraft {
  seq: number;
  /** Milliseconds since the epoch. */
  at: number;
  prevHash: Hex;
  hash: Hex;
}

export { auditEntryHash, findChainBreak, GENESIS_HASH, type ChainBreak } from "@openchart/sdk/audit-chain";

/**
 * The entry that follows `previous` (undefined: the chain is empty) in the chain: the one place an
 * entry gets its seq, previous-hash and hash. Callers hold the chain's writers off until it is stored.
 */
export function sealEntry(previous: Pick<AuditEntry, "seq" | "hash"> | undefined, draft: AuditDraft, now: number): AuditEntry {
  const unsealed = { ...draft, seq: (previous?.seq ?? 0) + 1, at: now, prevHash: previous?.hash ?? GENESIS_HASH };
  return { ...unsealed, hash: auditEntryHash(unsealed) };
}

/** A hash of a client's Idempotency-Key, so the log names the request without storing the key. */
export function keyDigest(key: string): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}
