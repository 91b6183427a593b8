import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Hex } from "@openchart/sdk";
import type { AuditDraft } from "../audit/log.js";
import { AuditCommitter } from "../audit/committer.js";
import type { AcceptedLeaf, AnchorFacts, BatchRow, BatchStatus, IdempotentBegin, IdempotentOutcome, Store, TxAttempt } from "./store.js";
import { auditAppender, configureConnection } from "./sqlite-audit.js";
import { idempotentOutcome, toAudit, toBatch, type AuditDbRow, type BatchDbRow, type IdempotentDbRow } from "./rows.js";
import { sharedTables } from "./schema.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS batches (
  id INTEGER PRIMARY KEY,
  root TEXT NOT NULL UNIQUE,
  leaf_count INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('built', 'sent', 'confirmed')),
  tx_hash TEXT, block_number INTEGER, anchored_at INTEGER, gas_used INTEGER
);
CREATE TABLE IF NOT EXISTS leaves (
  leaf TEXT PRIMARY KEY,
  submitted_at INTEGER NOT NULL,
  batch_id INTEGER REFERENCES batches(id),
  proof TEXT
);
CREATE INDEX IF NOT EXISTS leaves_waiting ON leaves (submitted_at) WHERE batch_id IS NULL;
CREATE TABLE IF NOT EXISTS attempts (
  batch_id INTEGER NOT NULL REFERENCES batches(id),
  tx_hash TEXT NOT NULL UNIQUE,
  nonce INTEGER NOT NULL,
  raw_tx TEXT NOT NULL,
  max_fee TEXT NOT NULL,
  priority_fee TEXT NOT NULL,
  sent_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_batch ON attempts (batch_id);
${sharedTables("INTEGER")}
`;

export interface SqliteStoreOptions {
  /** Commit audit entries from a worker thread (the server does; see AuditCommitter). */
  auditThread?: boolean;
}

/** The default store: one SQLite file (WAL, fully synced commits) under the data directory. */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): Store {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  configureConnection(db);
  db.exec(SCHEMA);
  const committer = options.auditThread && AuditCommitter.available ? new AuditCommitter(file) : undefined;

  const q = {
    leafStatus: db.prepare<[string], { leaf: string; batch_id: number | null; status: BatchStatus | null }>(
      "SELECT l.leaf, l.batch_id, b.status FROM leaves l LEFT JOIN batches b ON b.id = l.batch_id WHERE l.leaf = ?",
    ),
    insertLeaf: db.prepare("INSERT OR IGNORE INTO leaves (leaf, submitted_at) VALUES (?, ?)"),
    idemGet: db.prepare<[string, string, string], IdempotentDbRow>(
      "SELECT * FROM idempotent_requests WHERE scope = ? AND route = ? AND key_hash = ?",
    ),
    idemReserve: db.prepare(
      `INSERT INTO idempotent_requests (scope, route, key_hash, fingerprint, state, lease_until, expires_at) VALUES (?, ?, ?, ?, 'reserved', ?, ?)
       ON CONFLICT (scope, route, key_hash) DO UPDATE SET fingerprint = excluded.fingerprint, state = 'reserved', lease_until = excluded.lease_until,
         expires_at = excluded.expires_at, status = NULL, content_type = NULL, body = NULL`,
    ),
    idemComplete: db.prepare(
      "UPDATE idempotent_requests SET state = 'done', status = ?, content_type = ?, body = ?, expires_at = ? WHERE scope = ? AND route = ? AND key_hash = ? AND state = 'reserved'",
    ),
    idemRelease: db.prepare("DELETE FROM idempotent_requests WHERE scope = ? AND route = ? AND key_hash = ? AND state = 'reserved'"),
    idemReleaseAll: db.prepare("DELETE FROM idempotent_requests WHERE state = 'reserved'"),
    idemSweep: db.prepare("DELETE FROM idempotent_requests WHERE expires_at <= ?"),
    // A nonce row may be reused once its claim expired; a live one makes the claim fail (no row changes).
    nonceClaim: db.prepare(
      "INSERT INTO signin_nonces (nonce, expires_at) VALUES (?, ?) ON CONFLICT (nonce) DO UPDATE SET expires_at = excluded.expires_at WHERE signin_nonces.expires_at <= ?",
    ),
    nonceSweep: db.prepare("DELETE FROM signin_nonces WHERE expires_at <= ?"),
    leaf: db.prepare<[string], { leaf: string; submitted_at: number; batch_id: number | null; proof: string | null }>(
      "SELECT leaf, submitted_at, batch_id, proof FROM leaves WHERE leaf = ?",
    ),
    batch: db.prepare<[number], BatchDbRow>("SELECT * FROM batches WHERE id = ?"),
    pending: db.prepare<[], { count: number; oldest: number | null }>(
      "SELECT count(*) AS count, min(submitted_at) AS oldest FROM leaves WHERE batch_id IS NULL",
    ),
    waiting: db.prepare<[number], { leaf: string }>(
      "SELECT leaf FROM leaves WHERE batch_id IS NULL ORDER BY submitted_at, rowid LIMIT ?",
    ),
    insertBatch: db.prepare("INSERT INTO batches (root, leaf_count, created_at, status) VALUES (?, ?, ?, 'built')"),
    assignLeaf: db.prepare("UPDATE leaves SET batch_id = ?, proof = ? WHERE leaf = ?"),
    insertHeadLeaf: db.prepare("INSERT INTO leaves (leaf, submitted_at, batch_id, proof) VALUES (?, ?, ?, ?)"),
    insertHead: db.prepare("INSERT INTO audit_heads (leaf, seq, batch_id) VALUES (?, ?, ?)"),
    openBatch: db.prepare<[], BatchDbRow>("SELECT * FROM batches WHERE status != 'confirmed' ORDER BY id LIMIT 1"),
    attempts: db.prepare<[number], { batch_id: number; tx_hash: string; nonce: number; raw_tx: string; max_fee: string; priority_fee: string; sent_at: number }>(
      "SELECT * FROM attempts WHERE batch_id = ? ORDER BY rowid",
    ),
    addAttempt: db.prepare(
      "INSERT INTO attempts (batch_id, tx_hash, nonce, raw_tx, max_fee, priority_fee, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    markSent: db.prepare("UPDATE batches SET status = 'sent' WHERE id = ? AND status = 'built'"),
    confirm: db.prepare(
      "UPDATE batches SET status = 'confirmed', tx_hash = ?, block_number = ?, anchored_at = ?, gas_used = ? WHERE id = ?",
    ),
    auditHead: db.prepare<[], AuditDbRow>("SELECT * FROM audit ORDER BY seq DESC LIMIT 1"),
    auditAll: db.prepare<[number, number], AuditDbRow>("SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?"),
    auditBySubject: db.prepare<[string, number, number], AuditDbRow>(
      "SELECT * FROM audit WHERE subject = ? AND seq > ? ORDER BY seq LIMIT ?",
    ),
    heads: db.prepare<[], { leaf: string; seq: number; batch_id: number }>("SELECT * FROM audit_heads ORDER BY seq"),
  };

  const statusOf = (leaf: string): AcceptedLeaf => {
    const row = q.leafStatus.get(leaf)!;
    return { leaf: row.leaf as Hex, status: row.status === "confirmed" ? "anchored" : "pending" };
  };

  const appendAudit = auditAppender(db);

  const acceptLeaves = db.transaction((input: Parameters<Store["acceptLeaves"]>[0]) => {
    for (const leaf of input.leaves) q.insertLeaf.run(leaf, input.now);
    appendAudit(input.audit, input.now);
    return { leaves: input.leaves.map(statusOf) };
  });

  const beginIdempotent = db.transaction((input: IdempotentBegin): IdempotentOutcome => {
    const seen = q.idemGet.get(input.scope, input.route, input.keyHash);
    const outcome = seen ? idempotentOutcome(seen, input) : null;
    if (outcome) return outcome;
    q.idemReserve.run(input.scope, input.route, input.keyHash, input.fingerprint, input.leaseUntil, input.expiresAt);
    return { kind: "reserved" };
  });

  const sweepExpired = db.transaction((now: number) => q.idemSweep.run(now).changes + q.nonceSweep.run(now).changes);

  const createBatch = db.transaction((input: Parameters<Store["createBatch"]>[0]): BatchRow | null => {
    const waiting = q.waiting.all(input.maxLeaves).map((r) => r.leaf as Hex);
    if (waiting.length === 0) return null;
    const head = q.auditHead.get();
    const headLeaf = head && !q.leaf.get(head.hash) ? (head.hash as Hex) : null;
    const leaves = headLeaf ? [...waiting, headLeaf] : waiting;
    const tree = input.build(leaves);
    const id = Number(q.insertBatch.run(tree.root, leaves.length, input.now).lastInsertRowid);
    for (const leaf of waiting) q.assignLeaf.run(id, JSON.stringify(tree.proofOf(leaf)), leaf);
    if (headLeaf && head) {
      q.insertHeadLeaf.run(headLeaf, input.now, id, JSON.stringify(tree.proofOf(headLeaf)));
      q.insertHead.run(headLeaf, head.seq, id);
    }
    return toBatch(q.batch.get(id)!);
  });

  const addAttempt = db.transaction((a: TxAttempt) => {
    q.addAttempt.run(a.batchId, a.txHash, a.nonce, a.rawTx, a.maxFeePerGas.toString(), a.maxPriorityFeePerGas.toString(), a.sentAt);
    q.markSent.run(a.batchId);
  });

  // Made once: db.transaction() prepares its BEGIN and COMMIT statements each time it is called.
  const appendAudits = db.transaction((drafts: readonly AuditDraft[], now: number) => drafts.map((draft) => appendAudit(draft, now)));

  const appendMany = async (drafts: readonly AuditDraft[], now: number) =>
    committer ? committer.append(drafts, now) : appendAudits.immediate(drafts, now);

  const confirmBatch = db.transaction((batchId: number, anchor: AnchorFacts, audit: AuditDraft, now: number) => {
    q.confirm.run(anchor.txHash, anchor.blockNumber, anchor.anchoredAt, anchor.gasUsed, batchId);
    appendAudit(audit, now);
  });

  // Every multi-statement write is IMMEDIATE: the audit thread's connection may commit between a
  // deferred transaction's first read and its first write, which SQLite refuses (SQLITE_BUSY_SNAPSHOT).
  return {
    acceptLeaves: async (input) => acceptLeaves.immediate(input),
    async leaf(leaf) {
      const row = q.leaf.get(leaf);
      if (!row) return null;
      const batch = row.batch_id === null ? null : toBatch(q.batch.get(row.batch_id)!);
      return { leaf: row.leaf as Hex, submittedAt: row.submitted_at, proof: row.proof ? (JSON.parse(row.proof) as Hex[]) : null, batch };
    },
    async pendingStats() {
      const row = q.pending.get()!;
      return { count: row.count, oldestSubmittedAt: row.oldest };
    },
    createBatch: async (input) => createBatch.immediate(input),
    async openBatch() {
      const row = q.openBatch.get();
      return row ? toBatch(row) : null;
    },
    async attempts(batchId) {
      return q.attempts.all(batchId).map((r) => ({
        batchId: r.batch_id,
        txHash: r.tx_hash as Hex,
        nonce: r.nonce,
        rawTx: r.raw_tx as Hex,
        maxFeePerGas: BigInt(r.max_fee),
        maxPriorityFeePerGas: BigInt(r.priority_fee),
        sentAt: r.sent_at,
      }));
    },
    addAttempt: async (attempt) => addAttempt.immediate(attempt),
    confirmBatch: async (batchId, anchor, audit, now) => confirmBatch.immediate(batchId, anchor, audit, now),
    appendAudit: async (draft, now) => (await appendMany([draft], now))[0]!,
    appendAudits: appendMany,
    async auditEntries({ subject, afterSeq = 0, limit }) {
      const rows = subject === undefined ? q.auditAll.all(afterSeq, limit) : q.auditBySubject.all(subject, afterSeq, limit);
      return rows.map(toAudit);
    },
    async auditHeads() {
      return q.heads.all().map((r) => ({ seq: r.seq, leaf: r.leaf as Hex, batchId: r.batch_id }));
    },
    claimNonce: async (nonce, expiresAt, now) => q.nonceClaim.run(nonce, expiresAt, now).changes === 1,
    beginIdempotent: async (input) => beginIdempotent.immediate(input),
    async completeIdempotent(id, answer, expiresAt) {
      q.idemComplete.run(answer.status, answer.contentType, answer.body, expiresAt, id.scope, id.route, id.keyHash);
    },
    async releaseIdempotent(id) {
      q.idemRelease.run(id.scope, id.route, id.keyHash);
    },
    async releaseAllReservations() {
      q.idemReleaseAll.run();
    },
    sweepExpired: async (now) => sweepExpired.immediate(now),
    async ping() {
      db.prepare("SELECT 1").get();
    },
    async close() {
      await committer?.close();
      db.close();
    },
  };
}
