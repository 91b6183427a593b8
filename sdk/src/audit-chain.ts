import { sha256, toUtf8Bytes } from "ethers";
import type { Hex } from "./hex.js";

/**
 * The API's audit log as a hash chain: each entry's hash covers its fields and the previous entry's
 * hash, so changing, removing or reordering any entry breaks every later hash. Here, in the sdk, so
 * the API that writes the chain and an auditor who checks an export of it share one definition.
 */
export interface AuditChainEntry {
  seq: number;
  /** Milliseconds since the epoch. */
  at: number;
  subject: string;
  action: string;
  decision: string;
  refs: Record<string, unknown>;
  prevHash: Hex;
  hash: Hex;
}

export const GENESIS_HASH: Hex = `0x${"0".repeat(64)}`;

/** sha256 over a canonical encoding of the entry (fixed field order, sorted ref keys). */
export function auditEntryHash(entry: Omit<AuditChainEntry, "hash">): Hex {
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
  return sha256(toUtf8Bytes(canonical)) as Hex;
}

export type ChainBreak = { seq: number; reason: string };

/** Recomputes the chain from the first entry; returns the first break, or null when intact. */
export function findChainBreak(entries: readonly AuditChainEntry[]): ChainBreak | null {
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
