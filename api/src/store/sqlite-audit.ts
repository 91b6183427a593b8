import type Database from "better-sqlite3";
import type { Hex } from "@openchart/sdk";
import { auditEntryHash, GENESIS_HASH, type AuditDraft, type AuditEntry } from "../audit/log.js";
import type { AuditDbRow } from "./rows.js";

/**
 * Appends one entry after the chain's current head, inside the caller's transaction. Shared by the
 * store's own connection and the audit committer thread's, so both extend one chain the same way;
 * their transactions are IMMEDIATE, so the head read and the insert cannot interleave between them.
 */
export function auditAppender(db: Database.Database): (draft: AuditDraft, now: number) => AuditEntry {
  const head = db.prepare<[], AuditDbRow>("SELECT * FROM audit ORDER BY seq DESC LIMIT 1");
  const insert = db.prepare("INSERT INTO audit (seq, at, subject, action, decision, refs, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  return (draft, now) => {
    const last = head.get();
    const unsealed = { ...draft, seq: (last?.seq ?? 0) + 1, at: now, prevHash: (last?.hash ?? GENESIS_HASH) as Hex };
    const entry: AuditEntry = { ...unsealed, hash: auditEntryHash(unsealed) };
    insert.run(entry.seq, entry.at, entry.subject, entry.action, entry.decision, JSON.stringify(entry.refs), entry.prevHash, entry.hash);
    return entry;
  };
}

/** The connection settings every writer of the API's SQLite file uses. */
export function configureConnection(db: Database.Database): void {
  db.pragma("journal_mode = WAL");
  // FULL: a commit is on disk before the API answers, even across a power cut, not just a crash.
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
}
