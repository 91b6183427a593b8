import { createHash } from "node:crypto";
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
  decision: "accepted" | "refused" | "allowed" | "confirmed";
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
  | "consult.token"
  | "ai.chat";

export interface AuditEntry extends AuditDraft {
  seq: number;
  /** Milliseconds since the epoch. */
  at: number;
  prevHash: Hex;
  hash: Hex;
}

export const GENESIS_HASH: Hex = `0x${"0".repeat(64)}`;

/** sha256 over a canonical encoding of the entry (fixed field order, sorted ref keys). */
export function auditEntryHash(entry: Omit<AuditEntry, "hash">): Hex {
  const canonical = JSON.stringify([
    "openchart.audit.v1",
    entry.seq,
    entry.at,
    entry.subject,
    entry.action,
    entry.decision,
    Object.keys(entry.refs)
      .sort()
      .map((key) => [key, entry.refs[key]]),
    entry.prevHash,
  ]);
  return `0x${createHash("sha256").update(canonical).digest("hex")}`;
}

/**
 * The entry that follows `previous` (undefined: the chain is empty) in the chain: the one place an
 * entry gets its seq, previous-hash and hash. Callers hold the chain's writers off until it is stored.
 */
export function sealEntry(previous: Pick<AuditEntry, "seq" | "hash"> | undefined, draft: AuditDraft, now: number): AuditEntry {
  const unsealed = { ...draft, seq: (previous?.seq ?? 0) + 1, at: now, prevHash: previous?.hash ?? GENESIS_HASH };
  return { ...unsealed, hash: auditEntryHash(unsealed) };
}

export type ChainBreak = { seq: number; reason: string };

/** Recomputes the chain from the first entry; returns the first break, or null when intact. */
export function findChainBreak(entries: readonly AuditEntry[]): ChainBreak | null {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) return { seq: entry.seq, reason: `expected entry ${expectedSeq}, found ${entry.seq}: an entry is missing` };
    if (entry.prevHash !== prev) return { seq: entry.seq, reason: "its previous-hash does not match the entry before it" };
    const { hash, ...rest } = entry;
    if (auditEntryHash(rest) !== hash) return { seq: entry.seq, reason: "its hash does not match its content: the entry was altered" };
    prev = hash;
    expectedSeq++;
  }
  return null;
}

/** A hash of a client's Idempotency-Key, so the log names the request without storing the key. */
export function keyDigest(key: string): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}
