import pg from "pg";
import type { Hex } from "@openchart/sdk";
import type { Engine, Sql } from "./engine.js";
import type { AttemptDbRow, AuditDbRow, AuditHeadDbRow, BatchDbRow, IdempotentDbRow, LeafDbRow } from "./rows.js";
import type { BatchStatus, IdempotentBegin } from "./store.js";
import { accountTables, pinTables, sharedTables } from "./schema.js";
import { directorySql, directoryTables, postgresRunner } from "./directory-sql.js";
import { postgresAccountSql } from "./postgres-accounts.js";
import { COORDINATION_TABLES, postgresCoordinationSql } from "./postgres-coordination.js";
import { postgresPinSql } from "./postgres-pins.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS batches (
  id BIGSERIAL PRIMARY KEY,
  root TEXT NOT NULL UNIQUE,
  leaf_count INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('built', 'sent', 'confirmed')),
  tx_hash TEXT, block_number BIGINT, anchored_at BIGINT, gas_used BIGINT
);
CREATE TABLE IF NOT EXISTS leaves (
  leaf TEXT PRIMARY KEY,
  seq BIGSERIAL,
  submitted_at BIGINT NOT NULL,
  batch_id BIGINT REFERENCES batches(id),
  proof TEXT
);
CREATE INDEX IF NOT EXISTS leaves_waiting ON leaves (submitted_at, seq) WHERE batch_id IS NULL;
-- Added after the first release (per-caller quotas and fair batching): older databases gain it here.
ALTER TABLE leaves ADD COLUMN IF NOT EXISTS subject TEXT NOT NULL DEFAULT 'anonymous';
CREATE INDEX IF NOT EXISTS leaves_subject ON leaves (subject, submitted_at);
-- Added with reorg-safe confirmations: where a sent batch's transaction was last seen mined.
ALTER TABLE batches ADD COLUMN IF NOT EXISTS mined_tx TEXT;
ALTER TABLE batches ADD COLUMN IF NOT EXISTS mined_block BIGINT;
ALTER TABLE batches ADD COLUMN IF NOT EXISTS mined_depth INTEGER;
CREATE TABLE IF NOT EXISTS attempts (
  seq BIGSERIAL PRIMARY KEY,
  batch_id BIGINT NOT NULL REFERENCES batches(id),
  tx_hash TEXT NOT NULL UNIQUE,
  nonce BIGINT NOT NULL,
  raw_tx TEXT NOT NULL,
  max_fee TEXT NOT NULL,
  priority_fee TEXT NOT NULL,
  sent_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_batch ON attempts (batch_id);
${sharedTables("BIGINT")}
${accountTables("BIGINT", "BIGSERIAL PRIMARY KEY")}
${COORDINATION_TABLES}
${pinTables("BIGINT")}
${directoryTables("BIGINT")}
`;

// BIGINT columns come back as strings by default; every value here fits a double exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, Number);

/** One lock serializes the writers that read the audit head or the waiting leaves. */
const WRITE_LOCK = "SELECT pg_advisory_xact_lock(7041983)";

/** The PostgreSQL engine: the same tables as the SQLite one, for shared deployments. */
export async function openPostgresEngine(url: string): Promise<Engine> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  // An idle connection the server drops (restart, failover) is discarded; the pool reconnects on
  // the next query, and a failing query reaches its caller. Without a listener it would crash the process.
  pool.on("error", () => undefined);
  // One statement list is one transaction: under this lock, replicas starting together on an empty
  // database do not race to create the same tables (which PostgreSQL answers with a duplicate-key error).
  await pool.query(`SELECT pg_advisory_xact_lock(7041985);\n${SCHEMA}`);
  const poolSql = postgresSql(pool);

  return {
    async transaction(work, { serial = true } = {}) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        if (serial) await client.query(WRITE_LOCK);
        const result = await work(postgresSql(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    autocommit: (work) => work(poolSql),
    shared: true,
    async ping() {
      await pool.query("SELECT 1");
    },
    close: () => pool.end(),
  };
}

function postgresSql(db: pg.Pool | pg.PoolClient): Sql {
  const rows = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => (await db.query<R>(text, values)).rows;
  const changes = async (text: string, values?: unknown[]) => (await db.query(text, values)).rowCount ?? 0;
  const reservation = (r: IdempotentBegin) => [r.scope, r.route, r.keyHash, r.fingerprint, r.leaseUntil, r.expiresAt];

  return {
    leaves: {
      async insertNew(leaves, subject, now) {
        await db.query(
          "INSERT INTO leaves (leaf, submitted_at, subject) SELECT l, $2, $3 FROM unnest($1::text[]) WITH ORDINALITY AS t(l, n) ORDER BY n ON CONFLICT (leaf) DO NOTHING",
          [leaves, now, subject],
        );
      },
      submittedSince: async (subject, since) =>
        (await rows<{ count: number; oldest: number | null }>(
          "SELECT count(*)::int AS count, min(submitted_at) AS oldest FROM leaves WHERE subject = $1 AND submitted_at > $2",
          [subject, since],
        ))[0]!,
      async batchStatuses(leaves) {
        const found = await rows<{ leaf: string; status: BatchStatus | null }>(
          "SELECT l.leaf, b.status FROM leaves l LEFT JOIN batches b ON b.id = l.batch_id WHERE l.leaf = ANY($1)",
          [leaves],
        );
        return new Map(found.map((row) => [row.leaf, row.status]));
      },
      get: async (leaf) => (await rows<LeafDbRow>("SELECT leaf, submitted_at, batch_id, proof FROM leaves WHERE leaf = $1", [leaf]))[0],
      pendingStats: async () =>
        (await rows<{ count: number; oldest: number | null }>("SELECT count(*)::int AS count, min(submitted_at) AS oldest FROM leaves WHERE batch_id IS NULL"))[0]!,
      waiting: async (max) =>
        // Round-robin across subjects: each subject's oldest waiting leaf, then each one's second, and so on.
        (
          await rows<{ leaf: string }>(
            `SELECT leaf FROM (SELECT leaf, submitted_at, seq, row_number() OVER (PARTITION BY subject ORDER BY submitted_at, seq) AS turn
             FROM leaves WHERE batch_id IS NULL) w ORDER BY turn, submitted_at, seq LIMIT $1`,
            [max],
          )
        ).map((row) => row.leaf as Hex),
      async assign(batchId, leaves) {
        await db.query(
          "UPDATE leaves SET batch_id = $1, proof = p.proof FROM unnest($2::text[], $3::text[]) AS p(leaf, proof) WHERE leaves.leaf = p.leaf",
          [batchId, leaves.map((l) => l.leaf), leaves.map((l) => l.proof)],
        );
      },
      async insertBatched(leaf, now, batchId, proof) {
        await db.query("INSERT INTO leaves (leaf, submitted_at, batch_id, proof) VALUES ($1, $2, $3, $4)", [leaf, now, batchId, proof]);
      },
    },
    batches: {
      insert: async (root, leafCount, now) =>
        (await rows<{ id: number }>("INSERT INTO batches (root, leaf_count, created_at, status) VALUES ($1, $2, $3, 'built') RETURNING id", [root, leafCount, now]))[0]!.id,
      get: async (id) => (await rows<BatchDbRow>("SELECT * FROM batches WHERE id = $1", [id]))[0],
      oldestUnconfirmed: async () => (await rows<BatchDbRow>("SELECT * FROM batches WHERE status != 'confirmed' ORDER BY id LIMIT 1"))[0],
      async gasSince(since) {
        const [row] = await rows<{ gas: number | null; oldest: number | null }>(
          "SELECT sum(gas_used)::bigint AS gas, min(created_at) AS oldest FROM batches WHERE status = 'confirmed' AND created_at > $1",
          [since],
        );
        return { gas: row?.gas ?? 0, oldest: row?.oldest ?? null };
      },
      attempts: (batchId) => rows<AttemptDbRow>("SELECT batch_id, tx_hash, nonce, raw_tx, max_fee, priority_fee, sent_at FROM attempts WHERE batch_id = $1 ORDER BY seq", [batchId]),
      async insertAttempt(a) {
        await db.query("INSERT INTO attempts (batch_id, tx_hash, nonce, raw_tx, max_fee, priority_fee, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7)", [
          a.batch_id, a.tx_hash, a.nonce, a.raw_tx, a.max_fee, a.priority_fee, a.sent_at,
        ]);
      },
      async markSent(batchId) {
        await db.query("UPDATE batches SET status = 'sent' WHERE id = $1 AND status = 'built'", [batchId]);
      },
      async confirm(batchId, anchor) {
        await db.query("UPDATE batches SET status = 'confirmed', tx_hash = $1, block_number = $2, anchored_at = $3, gas_used = $4 WHERE id = $5", [
          anchor.txHash, anchor.blockNumber, anchor.anchoredAt, anchor.gasUsed, batchId,
        ]);
      },
      async markMined(batchId, mined) {
        await db.query("UPDATE batches SET mined_tx = $1, mined_block = $2, mined_depth = $3 WHERE id = $4 AND status != 'confirmed'", [
          mined?.txHash ?? null, mined?.blockNumber ?? null, mined?.confirmations ?? null, batchId,
        ]);
      },
    },
    audit: {
      last: async () => (await rows<AuditDbRow>("SELECT * FROM audit ORDER BY seq DESC LIMIT 1"))[0],
      async insert(entries) {
        if (entries.length === 0) return;
        const column = <K extends keyof (typeof entries)[number]>(key: K) => entries.map((e) => e[key]);
        await db.query(
          `INSERT INTO audit (seq, at, subject, action, decision, refs, prev_hash, hash)
           SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) ORDER BY 1`,
          [column("seq"), column("at"), column("subject"), column("action"), column("decision"), column("refs"), column("prev_hash"), column("hash")],
        );
      },
      entries: ({ subject, afterSeq, limit }) =>
        subject === undefined
          ? rows<AuditDbRow>("SELECT * FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2", [afterSeq, limit])
          : rows<AuditDbRow>("SELECT * FROM audit WHERE subject = $1 AND seq > $2 ORDER BY seq LIMIT $3", [subject, afterSeq, limit]),
      async insertHead(leaf, seq, batchId) {
        await db.query("INSERT INTO audit_heads (leaf, seq, batch_id) VALUES ($1, $2, $3)", [leaf, seq, batchId]);
      },
      heads: () => rows<AuditHeadDbRow>("SELECT * FROM audit_heads ORDER BY seq"),
    },
    idempotency: {
      insertReservation: async (request) =>
        (await changes(
          "INSERT INTO idempotent_requests (scope, route, key_hash, fingerprint, state, lease_until, expires_at) VALUES ($1, $2, $3, $4, 'reserved', $5, $6) ON CONFLICT DO NOTHING",
          reservation(request),
        )) === 1,
      lock: async (id) =>
        (await rows<IdempotentDbRow>("SELECT * FROM idempotent_requests WHERE scope = $1 AND route = $2 AND key_hash = $3 FOR UPDATE", [id.scope, id.route, id.keyHash]))[0],
      async reserve(request) {
        await db.query(
          `INSERT INTO idempotent_requests (scope, route, key_hash, fingerprint, state, lease_until, expires_at) VALUES ($1, $2, $3, $4, 'reserved', $5, $6)
           ON CONFLICT (scope, route, key_hash) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, state = 'reserved', lease_until = EXCLUDED.lease_until,
             expires_at = EXCLUDED.expires_at, status = NULL, content_type = NULL, body = NULL`,
          reservation(request),
        );
      },
      async complete(id, answer, expiresAt) {
        await db.query(
          "UPDATE idempotent_requests SET state = 'done', status = $1, content_type = $2, body = $3, expires_at = $4 WHERE scope = $5 AND route = $6 AND key_hash = $7 AND state = 'reserved'",
          [answer.status, answer.contentType, answer.body, expiresAt, id.scope, id.route, id.keyHash],
        );
      },
      async release(id) {
        await db.query("DELETE FROM idempotent_requests WHERE scope = $1 AND route = $2 AND key_hash = $3 AND state = 'reserved'", [id.scope, id.route, id.keyHash]);
      },
      async renew(id, leaseUntil) {
        await db.query("UPDATE idempotent_requests SET lease_until = $1 WHERE scope = $2 AND route = $3 AND key_hash = $4 AND state = 'reserved'", [
          leaseUntil, id.scope, id.route, id.keyHash,
        ]);
      },
      async releaseAll() {
        await db.query("DELETE FROM idempotent_requests WHERE state = 'reserved'");
      },
      async releaseLapsed(now) {
        await db.query("DELETE FROM idempotent_requests WHERE state = 'reserved' AND lease_until <= $1", [now]);
      },
      deleteExpired: (now) => changes("DELETE FROM idempotent_requests WHERE expires_at <= $1", [now]),
    },
    nonces: {
      // A row may be reused once its claim expired; a live one makes the claim fail (no row changes).
      claim: async (nonce, expiresAt, now) =>
        (await changes(
          "INSERT INTO signin_nonces (nonce, expires_at) VALUES ($1, $2) ON CONFLICT (nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE signin_nonces.expires_at <= $3",
          [nonce, expiresAt, now],
        )) === 1,
      deleteExpired: (now) => changes("DELETE FROM signin_nonces WHERE expires_at <= $1", [now]),
    },
    wrappedKeys: {
      async upsert(did, blob, now) {
        await db.query(
          "INSERT INTO wrapped_keys (did, blob, updated_at) VALUES ($1, $2, $3) ON CONFLICT (did) DO UPDATE SET blob = EXCLUDED.blob, updated_at = EXCLUDED.updated_at",
          [did, blob, now],
        );
      },
      get: async (did) => (await db.query<{ blob: string; updated_at: number }>("SELECT blob, updated_at FROM wrapped_keys WHERE did = $1", [did])).rows[0],
      delete: async (did) => (await changes("DELETE FROM wrapped_keys WHERE did = $1", [did])) > 0,
    },
    ...postgresAccountSql(db),
    ...postgresCoordinationSql(db),
    pins: postgresPinSql(db),
    ...directorySql(postgresRunner(db)),
  };
}
