import type { Hex } from "@openchart/sdk";
import { sealEntry, type AuditDraft, type AuditEntry } from "../audit/log.js";
import type { Engine, Sql } from "./engine.js";
import { auditRow, toAudit, toAuditHead } from "./rows.js";
import type { AuditStore } from "./store.js";

/**
 * Appends entries after the chain's head, inside the caller's transaction, which must be serial
 * (the engine's default): the head read and the inserts must not interleave with another writer's.
 * Every writer of the chain comes through here: the stores below and the audit committer's thread.
 */
export async function appendSealed(sql: Sql, drafts: readonly AuditDraft[], now: number): Promise<AuditEntry[]> {
  const last = await sql.audit.last();
  let previous = last && { seq: last.seq, hash: last.hash as Hex };
  const entries: AuditEntry[] = [];
  for (const draft of drafts) {
    const entry = sealEntry(previous, draft, now);
    entries.push(entry);
    previous = entry;
  }
  await sql.audit.insert(entries.map(auditRow));
  return entries;
}

/** Commits entries elsewhere than on the engine's own connection (SQLite: the audit committer's thread). */
export type AuditCommit = (drafts: readonly AuditDraft[], now: number) => Promise<AuditEntry[]>;

export function auditStore(engine: Engine, commit?: AuditCommit): AuditStore {
  const appendMany = (drafts: readonly AuditDraft[], now: number) =>
    commit ? commit(drafts, now) : engine.transaction((sql) => appendSealed(sql, drafts, now));
  return {
    append: async (draft, now) => (await appendMany([draft], now))[0]!,
    appendMany,
    entries: ({ subject, afterSeq = 0, limit }) => engine.autocommit(async (sql) => (await sql.audit.entries({ subject, afterSeq, limit })).map(toAudit)),
    heads: () => engine.autocommit(async (sql) => (await sql.audit.heads()).map(toAuditHead)),
  };
}
