import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Hex } from "@openchart/sdk";
import type { Engine, Sql } from "./engine.js";
import type { AttemptDbRow, AuditDbRow, AuditHeadDbRow, BatchDbRow, IdempotentDbRow, LeafDbRow } from "./rows.js";
import type { BatchStatus } from "./store.js";
import { accountTables, pinTables, sharedTables } from "./schema.js";
import { directorySql, directoryTables, sqliteRunner } from "./directory-sql.js";
import { sqliteAccountSql } from "./sqlite-accounts.js";
import { attachCounters, sqliteCoordinationSql } from "./sqlite-coordination.js";
import { sqlitePinSql } from "./sqlite-pins.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS batches (
  id INTEGER PRIMARY KEY,
  root TEXT NOT NULL UNIQUE,
  leaf_count INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('built', 'sent', 'confirmed')),
  tx_hash TEXT, block_number INTEGER, anchored_at INTEGER, gas_used INTEGER,
  mined_tx TEXT, mined_block INTEGER, mined_depth INTEGER
);
CREATE TABLE IF NOT EXISTS leaves (
  leaf TEXT PRIMARY KEY,
  submitted_at INTEGER NOT NULL,
  batch_id INTEGER REFERENCES batches(id),
  proof TEXT,
  subject TEXT NOT NULL DEFAULT 'anonymous'
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
${accountTables("INTEGER", "INTEGER PRIMARY KEY")}
${pinTables("INTEGER")}
${directoryTables("INTEGER")}
`;

export interface SqliteEngineOptions {
  /** False for a second connection to a file whose first connection created the tables (the audit thread). */
  createTables?: boolean;
}

/**
 * The default engine: one SQLite file (WAL, fully synced commits) under the data directory.
 * better-sqlite3 is synchronous, so a transaction's statements run without giving the event loop
 * back; calls are still queued one at a time, so that no statement of another call lands inside an
 * open transaction of this connection. Every transaction is IMMEDIATE: another connection to the
 * file (the audit thread's) may commit between a deferred transaction's first read and its first
 * write, which SQLite refuses (SQLITE_BUSY_SNAPSHOT).
 */
export function openSqliteEngine(file: string, options: SqliteEngineOptions = {}): Engine {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // FULL: a commit is on disk before the API answers, even across a power cut, not just a crash.
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  if (options.createTables ?? true) {
    db.exec(SCHEMA);
    // Databases made before leaves had a subject (per-caller quotas and fair batching) gain the column.
    const columns = db.prepare<[], { name: string }>("PRAGMA table_info(leaves)").all();
    if (!columns.some((column) => column.name === "subject")) db.exec("ALTER TABLE leaves ADD COLUMN subject TEXT NOT NULL DEFAULT 'anonymous'");
    db.exec("CREATE INDEX IF NOT EXISTS leaves_subject ON leaves (subject, submitted_at)");
    attachCounters(db, file);
    // Databases made before batches recorded where their transaction is mined (reorg-safe confirmations) gain the columns.
    const batchColumns = db.prepare<[], { name: string }>("PRAGMA table_info(batches)").all();
    if (!batchColumns.some((column) => column.name === "mined_tx")) {
      db.exec("ALTER TABLE batches ADD COLUMN mined_tx TEXT; ALTER TABLE batches ADD COLUMN mined_block INTEGER; ALTER TABLE batches ADD COLUMN mined_depth INTEGER");
    }
  }
  const sql = sqliteSql(db);
  const begin = db.prepare("BEGIN IMMEDIATE");
  const commit = db.prepare("COMMIT");
  const rollback = db.prepare("ROLLBACK");
  const ping = db.prepare("SELECT 1");

  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  };

  return {
    transaction: (work) =>
      inTurn(async () => {
        begin.run();
        try {
          const result = await work(sql);
          commit.run();
          return result;
        } catch (error) {
          if (db.inTransaction) rollback.run();
          throw error;
        }
      }),
    autocommit: (work) => inTurn(() => work(sql)),
    shared: false,
    ping: () => inTurn(async () => void ping.get()),
    close: () => inTurn(async () => void db.close()),
  };
}

function sqliteSql(db: Database.Database): Sql {
  const q = {
    insertLeaf: db.prepare("INSERT OR IGNORE INTO leaves (leaf, submitted_at, subject) VALUES (?, ?, ?)"),
    submittedSince: db.prepare<[string, number], { count: number; oldest: number | null }>(
      "SELECT count(*) AS count, min(submitted_at) AS oldest FROM leaves WHERE subject = ? AND submitted_at > ?",
    ),
    leafStatus: db.prepare<[string], { status: BatchStatus | null }>("SELECT b.status FROM leaves l LEFT JOIN batches b ON b.id = l.batch_id WHERE l.leaf = ?"),
    leaf: db.prepare<[string], LeafDbRow>("SELECT leaf, submitted_at, batch_id, proof FROM leaves WHERE leaf = ?"),
    pending: db.prepare<[], { count: number; oldest: number | null }>("SELECT count(*) AS count, min(submitted_at) AS oldest FROM leaves WHERE batch_id IS NULL"),
    // Round-robin across subjects: each subject's oldest waiting leaf, then each one's second, and so on.
    waiting: db.prepare<[number], { leaf: string }>(
      `SELECT leaf FROM (SELECT leaf, submitted_at, rowid AS r, row_number() OVER (PARTITION BY subject ORDER BY submitted_at, rowid) AS turn
       FROM leaves WHERE batch_id IS NULL) ORDER BY turn, submitted_at, r LIMIT ?`,
    ),
    assignLeaf: db.prepare("UPDATE leaves SET batch_id = ?, proof = ? WHERE leaf = ?"),
    insertBatchedLeaf: db.prepare("INSERT INTO leaves (leaf, submitted_at, batch_id, proof) VALUES (?, ?, ?, ?)"),
    insertBatch: db.prepare("INSERT INTO batches (root, leaf_count, created_at, status) VALUES (?, ?, ?, 'built')"),
    batch: db.prepare<[number], BatchDbRow>("SELECT * FROM batches WHERE id = ?"),
    oldestUnconfirmed: db.prepare<[], BatchDbRow>("SELECT * FROM batches WHERE status != 'confirmed' ORDER BY id LIMIT 1"),
    attempts: db.prepare<[number], AttemptDbRow>("SELECT * FROM attempts WHERE batch_id = ? ORDER BY rowid"),
    insertAttempt: db.prepare(
      "INSERT INTO attempts (batch_id, tx_hash, nonce, raw_tx, max_fee, priority_fee, sent_at) VALUES (@batch_id, @tx_hash, @nonce, @raw_tx, @max_fee, @priority_fee, @sent_at)",
    ),
    markSent: db.prepare("UPDATE batches SET status = 'sent' WHERE id = ? AND status = 'built'"),
    gasSince: db.prepare<[number], { gas: number | null; oldest: number | null }>(
      "SELECT sum(gas_used) AS gas, min(created_at) AS oldest FROM batches WHERE status = 'confirmed' AND created_at > ?",
    ),
    confirm: db.prepare("UPDATE batches SET status = 'confirmed', tx_hash = ?, block_number = ?, anchored_at = ?, gas_used = ? WHERE id = ?"),
    markMined: db.prepare("UPDATE batches SET mined_tx = ?, mined_block = ?, mined_depth = ? WHERE id = ? AND status != 'confirmed'"),
    auditLast: db.prepare<[], AuditDbRow>("SELECT * FROM audit ORDER BY seq DESC LIMIT 1"),
    insertAudit: db.prepare(
      "INSERT INTO audit (seq, at, subject, action, decision, refs, prev_hash, hash) VALUES (@seq, @at, @subject, @action, @decision, @refs, @prev_hash, @hash)",
    ),
    auditAll: db.prepare<[number, number], AuditDbRow>("SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?"),
    auditBySubject: db.prepare<[string, number, number], AuditDbRow>("SELECT * FROM audit WHERE subject = ? AND seq > ? ORDER BY seq LIMIT ?"),
    insertHead: db.prepare("INSERT INTO audit_heads (leaf, seq, batch_id) VALUES (?, ?, ?)"),
    heads: db.prepare<[], AuditHeadDbRow>("SELECT * FROM audit_heads ORDER BY seq"),
    idemInsert: db.prepare(
      `INSERT INTO idempotent_requests (scope, route, key_hash, fingerprint, state, lease_until, expires_at)
       VALUES (@scope, @route, @keyHash, @fingerprint, 'reserved', @leaseUntil, @expiresAt) ON CONFLICT DO NOTHING`,
    ),
    idemGet: db.prepare<[string, string, string], IdempotentDbRow>("SELECT * FROM idempotent_requests WHERE scope = ? AND route = ? AND key_hash = ?"),
    idemReserve: db.prepare(
      `INSERT INTO idempotent_requests (scope, route, key_hash, fingerprint, state, lease_until, expires_at)
       VALUES (@scope, @route, @keyHash, @fingerprint, 'reserved', @leaseUntil, @expiresAt)
       ON CONFLICT (scope, route, key_hash) DO UPDATE SET fingerprint = excluded.fingerprint, state = 'reserved', lease_until = excluded.lease_until,
         expires_at = excluded.expires_at, status = NULL, content_type = NULL, body = NULL`,
    ),
    idemComplete: db.prepare(
      "UPDATE idempotent_requests SET state = 'done', status = ?, content_type = ?, body = ?, expires_at = ? WHERE scope = ? AND route = ? AND key_hash = ? AND state = 'reserved'",
    ),
    idemRelease: db.prepare("DELETE FROM idempotent_requests WHERE scope = ? AND route = ? AND key_hash = ? AND state = 'reserved'"),
    idemRenew: db.prepare("UPDATE idempotent_requests SET lease_until = ? WHERE scope = ? AND route = ? AND key_hash = ? AND state = 'reserved'"),
    idemReleaseAll: db.prepare("DELETE FROM idempotent_requests WHERE state = 'reserved'"),
    idemReleaseLapsed: db.prepare("DELETE FROM idempotent_requests WHERE state = 'reserved' AND lease_until <= ?"),
    idemSweep: db.prepare("DELETE FROM idempotent_requests WHERE expires_at <= ?"),
    nonceClaim: db.prepare(
      "INSERT INTO signin_nonces (nonce, expires_at) VALUES (?, ?) ON CONFLICT (nonce) DO UPDATE SET expires_at = excluded.expires_at WHERE signin_nonces.expires_at <= ?",
    ),
    nonceSweep: db.prepare("DELETE FROM signin_nonces WHERE expires_at <= ?"),
    wrappedUpsert: db.prepare(
      "INSERT INTO wrapped_keys (did, blob, updated_at) VALUES (?, ?, ?) ON CONFLICT (did) DO UPDATE SET blob = excluded.blob, updated_at = excluded.updated_at",
    ),
    wrappedGet: db.prepare<[string], { blob: string; updated_at: number }>("SELECT blob, updated_at FROM wrapped_keys WHERE did = ?"),
    wrappedDelete: db.prepare("DELETE FROM wrapped_keys WHERE did = ?"),
  };
  const reservation = ({ scope, route, keyHash, fingerprint, leaseUntil, expiresAt }: Parameters<Sql["idempotency"]["reserve"]>[0]) =>
    ({ scope, route, keyHash, fingerprint, leaseUntil, expiresAt });

  return {
    leaves: {
      async insertNew(leaves, subject, now) {
        for (const leaf of leaves) q.insertLeaf.run(leaf, now, subject);
      },
      submittedSince: async (subject, since) => q.submittedSince.get(subject, since)!,
      async batchStatuses(leaves) {
        return new Map(leaves.map((leaf) => [leaf, q.leafStatus.get(leaf)?.status ?? null]));
      },
      get: async (leaf) => q.leaf.get(leaf),
      pendingStats: async () => q.pending.get()!,
      waiting: async (max) => q.waiting.all(max).map((row) => row.leaf as Hex),
      async assign(batchId, leaves) {
        for (const { leaf, proof } of leaves) q.assignLeaf.run(batchId, proof, leaf);
      },
      async insertBatched(leaf, now, batchId, proof) {
        q.insertBatchedLeaf.run(leaf, now, batchId, proof);
      },
    },
    batches: {
      insert: async (root, leafCount, now) => Number(q.insertBatch.run(root, leafCount, now).lastInsertRowid),
      get: async (id) => q.batch.get(id),
      oldestUnconfirmed: async () => q.oldestUnconfirmed.get(),
      async gasSince(since) {
        const { gas, oldest } = q.gasSince.get(since)!;
        return { gas: gas ?? 0, oldest };
      },
      attempts: async (batchId) => q.attempts.all(batchId),
      async insertAttempt(row) {
        q.insertAttempt.run(row);
      },
      async markSent(batchId) {
        q.markSent.run(batchId);
      },
      async confirm(batchId, anchor) {
        q.confirm.run(anchor.txHash, anchor.blockNumber, anchor.anchoredAt, anchor.gasUsed, batchId);
      },
      async markMined(batchId, mined) {
        q.markMined.run(mined?.txHash ?? null, mined?.blockNumber ?? null, mined?.confirmations ?? null, batchId);
      },
    },
    audit: {
      last: async () => q.auditLast.get(),
      async insert(rows) {
        for (const row of rows) q.insertAudit.run(row);
      },
      entries: async ({ subject, afterSeq, limit }) => (subject === undefined ? q.auditAll.all(afterSeq, limit) : q.auditBySubject.all(subject, afterSeq, limit)),
      async insertHead(leaf, seq, batchId) {
        q.insertHead.run(leaf, seq, batchId);
      },
      heads: async () => q.heads.all(),
    },
    idempotency: {
      insertReservation: async (request) => q.idemInsert.run(reservation(request)).changes === 1,
      lock: async (id) => q.idemGet.get(id.scope, id.route, id.keyHash),
      async reserve(request) {
        q.idemReserve.run(reservation(request));
      },
      async complete(id, answer, expiresAt) {
        q.idemComplete.run(answer.status, answer.contentType, answer.body, expiresAt, id.scope, id.route, id.keyHash);
      },
      async release(id) {
        q.idemRelease.run(id.scope, id.route, id.keyHash);
      },
      async renew(id, leaseUntil) {
        q.idemRenew.run(leaseUntil, id.scope, id.route, id.keyHash);
      },
      async releaseAll() {
        q.idemReleaseAll.run();
      },
      async releaseLapsed(now) {
        q.idemReleaseLapsed.run(now);
      },
      deleteExpired: async (now) => q.idemSweep.run(now).changes,
    },
    nonces: {
      claim: async (nonce, expiresAt, now) => q.nonceClaim.run(nonce, expiresAt, now).changes === 1,
      deleteExpired: async (now) => q.nonceSweep.run(now).changes,
    },
    wrappedKeys: {
      async upsert(did, blob, now) {
        q.wrappedUpsert.run(did, blob, now);
      },
      get: async (did) => q.wrappedGet.get(did),
      delete: async (did) => q.wrappedDelete.run(did).changes > 0,
    },
    ...sqliteAccountSql(db),
    ...sqliteCoordinationSql(db),
    pins: sqlitePinSql(db),
    ...directorySql(sqliteRunner(db)),
  };
}
