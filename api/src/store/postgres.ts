import pg from "pg";
import type { Hex } from "@openchart/sdk";
import { auditEntryHash, GENESIS_HASH, type AuditDraft, type AuditEntry } from "../audit/log.js";
import type { AcceptedLeaf, BatchStatus, IdempotentOutcome, Store } from "./store.js";
import { idempotentOutcome, toAudit, toBatch, type AuditDbRow, type BatchDbRow, type IdempotentDbRow } from "./rows.js";
import { sharedTables } from "./schema.js";

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
`;

// BIGINT columns come back as strings by default; every value here fits a double exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, Number);

/** One lock serializes the writers that read the audit head or the waiting leaves. */
const WRITE_LOCK = "SELECT pg_advisory_xact_lock(7041983)";

/** The PostgreSQL store: the same tables and transactions as the SQLite one, for shared deployments. */
export async function openPostgresStore(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  // An idle connection the server drops (restart, failover) is discarded; the pool reconnects on
  // the next query, and a failing query reaches its caller. Without a listener it would crash the process.
  pool.on("error", () => undefined);
  await pool.query(SCHEMA);

  async function tx<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(WRITE_LOCK);
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async function appendAudit(client: pg.PoolClient, draft: AuditDraft, now: number): Promise<AuditEntry> {
    const head = (await client.query<{ seq: number; hash: string }>("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")).rows[0];
    const unsealed = { ...draft, seq: (head?.seq ?? 0) + 1, at: now, prevHash: (head?.hash ?? GENESIS_HASH) as Hex };
    const entry: AuditEntry = { ...unsealed, hash: auditEntryHash(unsealed) };
    await client.query("INSERT INTO audit (seq, at, subject, action, decision, refs, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", [
      entry.seq, entry.at, entry.subject, entry.action, entry.decision, JSON.stringify(entry.refs), entry.prevHash, entry.hash,
    ]);
    return entry;
  }

  async function statuses(client: pg.PoolClient | pg.Pool, leaves: string[]): Promise<AcceptedLeaf[]> {
    const { rows } = await client.query<{ leaf: string; status: BatchStatus | null }>(
      "SELECT l.leaf, b.status FROM leaves l LEFT JOIN batches b ON b.id = l.batch_id WHERE l.leaf = ANY($1)",
      [leaves],
    );
    const status = new Map(rows.map((r) => [r.leaf, r.status]));
    return leaves.map((leaf) => ({ leaf: leaf as Hex, status: status.get(leaf) === "confirmed" ? "anchored" : "pending" }));
  }

  const batchById = async (client: pg.PoolClient | pg.Pool, id: number) =>
    toBatch((await client.query<BatchDbRow>("SELECT * FROM batches WHERE id = $1", [id])).rows[0]!);

  return {
    acceptLeaves: (input) =>
      tx(async (client) => {
        await client.query(
          "INSERT INTO leaves (leaf, submitted_at) SELECT l, $2 FROM unnest($1::text[]) WITH ORDINALITY AS t(l, n) ORDER BY n ON CONFLICT (leaf) DO NOTHING",
          [input.leaves, input.now],
        );
        await appendAudit(client, input.audit, input.now);
        return { leaves: await statuses(client, input.leaves) };
      }),
    async leaf(leaf) {
      const row = (await pool.query<{ leaf: string; submitted_at: number; batch_id: number | null; proof: string | null }>(
        "SELECT leaf, submitted_at, batch_id, proof FROM leaves WHERE leaf = $1",
        [leaf],
      )).rows[0];
      if (!row) return null;
      return {
        leaf: row.leaf as Hex,
        submittedAt: row.submitted_at,
        proof: row.proof ? (JSON.parse(row.proof) as Hex[]) : null,
        batch: row.batch_id === null ? null : await batchById(pool, row.batch_id),
      };
    },
    async pendingStats() {
      const row = (await pool.query<{ count: number; oldest: number | null }>(
        "SELECT count(*)::int AS count, min(submitted_at) AS oldest FROM leaves WHERE batch_id IS NULL",
      )).rows[0]!;
      return { count: row.count, oldestSubmittedAt: row.oldest };
    },
    createBatch: (input) =>
      tx(async (client) => {
        const waiting = (await client.query<{ leaf: string }>(
          "SELECT leaf FROM leaves WHERE batch_id IS NULL ORDER BY submitted_at, seq LIMIT $1",
          [input.maxLeaves],
        )).rows.map((r) => r.leaf as Hex);
        if (waiting.length === 0) return null;
        const head = (await client.query<{ seq: number; hash: string }>("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")).rows[0];
        const headKnown = head ? (await client.query("SELECT 1 FROM leaves WHERE leaf = $1", [head.hash])).rowCount! > 0 : true;
        const headLeaf = head && !headKnown ? (head.hash as Hex) : null;
        const leaves = headLeaf ? [...waiting, headLeaf] : waiting;
        const tree = input.build(leaves);
        const id = (await client.query<{ id: number }>(
          "INSERT INTO batches (root, leaf_count, created_at, status) VALUES ($1, $2, $3, 'built') RETURNING id",
          [tree.root, leaves.length, input.now],
        )).rows[0]!.id;
        await client.query(
          "UPDATE leaves SET batch_id = $1, proof = p.proof FROM unnest($2::text[], $3::text[]) AS p(leaf, proof) WHERE leaves.leaf = p.leaf",
          [id, waiting, waiting.map((leaf) => JSON.stringify(tree.proofOf(leaf)))],
        );
        if (headLeaf && head) {
          await client.query("INSERT INTO leaves (leaf, submitted_at, batch_id, proof) VALUES ($1, $2, $3, $4)", [headLeaf, input.now, id, JSON.stringify(tree.proofOf(headLeaf))]);
          await client.query("INSERT INTO audit_heads (leaf, seq, batch_id) VALUES ($1, $2, $3)", [headLeaf, head.seq, id]);
        }
        return batchById(client, id);
      }),
    async openBatch() {
      const row = (await pool.query<BatchDbRow>("SELECT * FROM batches WHERE status != 'confirmed' ORDER BY id LIMIT 1")).rows[0];
      return row ? toBatch(row) : null;
    },
    async attempts(batchId) {
      const { rows } = await pool.query<{ batch_id: number; tx_hash: string; nonce: number; raw_tx: string; max_fee: string; priority_fee: string; sent_at: number }>(
        "SELECT * FROM attempts WHERE batch_id = $1 ORDER BY seq",
        [batchId],
      );
      return rows.map((r) => ({
        batchId: r.batch_id,
        txHash: r.tx_hash as Hex,
        nonce: r.nonce,
        rawTx: r.raw_tx as Hex,
        maxFeePerGas: BigInt(r.max_fee),
        maxPriorityFeePerGas: BigInt(r.priority_fee),
        sentAt: r.sent_at,
      }));
    },
    addAttempt: (a) =>
      tx(async (client) => {
        await client.query("INSERT INTO attempts (batch_id, tx_hash, nonce, raw_tx, max_fee, priority_fee, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7)", [
          a.batchId, a.txHash, a.nonce, a.rawTx, a.maxFeePerGas.toString(), a.maxPriorityFeePerGas.toString(), a.sentAt,
        ]);
        await client.query("UPDATE batches SET status = 'sent' WHERE id = $1 AND status = 'built'", [a.batchId]);
      }),
    confirmBatch: (batchId, anchor, audit, now) =>
      tx(async (client) => {
        await client.query("UPDATE batches SET status = 'confirmed', tx_hash = $1, block_number = $2, anchored_at = $3, gas_used = $4 WHERE id = $5", [
          anchor.txHash, anchor.blockNumber, anchor.anchoredAt, anchor.gasUsed, batchId,
        ]);
        await appendAudit(client, audit, now);
      }),
    appendAudit: (draft, now) => tx((client) => appendAudit(client, draft, now)),
    appendAudits: (drafts, now) =>
      tx(async (client) => {
        const entries: AuditEntry[] = [];
        for (const draft of drafts) entries.push(await appendAudit(client, draft, now));
        return entries;
      }),
    async auditEntries({ subject, afterSeq = 0, limit }) {
      const { rows } =
        subject === undefined
          ? await pool.query<AuditDbRow>("SELECT * FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2", [afterSeq, limit])
          : await pool.query<AuditDbRow>("SELECT * FROM audit WHERE subject = $1 AND seq > $2 ORDER BY seq LIMIT $3", [subject, afterSeq, limit]);
      return rows.map(toAudit);
    },
    async auditHeads() {
      const { rows } = await pool.query<{ leaf: string; seq: number; batch_id: number }>("SELECT * FROM audit_heads ORDER BY seq");
      return rows.map((r) => ({ seq: r.seq, leaf: r.leaf as Hex, batchId: r.batch_id }));
    },
    async claimNonce(nonce, expiresAt, now) {
      // A row may be reused once its claim expired; a live one makes the claim fail (no row changes).
      const { rowCount } = await pool.query(
        "INSERT INTO signin_nonces (nonce, expires_at) VALUES ($1, $2) ON CONFLICT (nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE signin_nonces.expires_at <= $3",
        [nonce, expiresAt, now],
      );
      return rowCount === 1;
    },
    async beginIdempotent(input) {
      // The row is locked (FOR UPDATE) rather than the global write lock taken: keys are independent.
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const inserted = await client.query(
          "INSERT INTO idempotent_requests (scope, route, key_hash, fingerprint, state, lease_until, expires_at) VALUES ($1, $2, $3, $4, 'reserved', $5, $6) ON CONFLICT DO NOTHING",
          [input.scope, input.route, input.keyHash, input.fingerprint, input.leaseUntil, input.expiresAt],
        );
        if (inserted.rowCount === 1) {
          await client.query("COMMIT");
          return { kind: "reserved" };
        }
        const row = (await client.query<IdempotentDbRow>("SELECT * FROM idempotent_requests WHERE scope = $1 AND route = $2 AND key_hash = $3 FOR UPDATE", [
          input.scope, input.route, input.keyHash,
        ])).rows[0]!;
        let outcome: IdempotentOutcome | null = idempotentOutcome(row, input);
        if (!outcome) {
          await client.query(
            "UPDATE idempotent_requests SET fingerprint = $4, state = 'reserved', lease_until = $5, expires_at = $6, status = NULL, content_type = NULL, body = NULL WHERE scope = $1 AND route = $2 AND key_hash = $3",
            [input.scope, input.route, input.keyHash, input.fingerprint, input.leaseUntil, input.expiresAt],
          );
          outcome = { kind: "reserved" };
        }
        await client.query("COMMIT");
        return outcome;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async completeIdempotent(id, answer, expiresAt) {
      await pool.query(
        "UPDATE idempotent_requests SET state = 'done', status = $1, content_type = $2, body = $3, expires_at = $4 WHERE scope = $5 AND route = $6 AND key_hash = $7 AND state = 'reserved'",
        [answer.status, answer.contentType, answer.body, expiresAt, id.scope, id.route, id.keyHash],
      );
    },
    async releaseIdempotent(id) {
      await pool.query("DELETE FROM idempotent_requests WHERE scope = $1 AND route = $2 AND key_hash = $3 AND state = 'reserved'", [id.scope, id.route, id.keyHash]);
    },
    async releaseAllReservations() {
      await pool.query("DELETE FROM idempotent_requests WHERE state = 'reserved'");
    },
    async sweepExpired(now) {
      const requests = await pool.query("DELETE FROM idempotent_requests WHERE expires_at <= $1", [now]);
      const nonces = await pool.query("DELETE FROM signin_nonces WHERE expires_at <= $1", [now]);
      return (requests.rowCount ?? 0) + (nonces.rowCount ?? 0);
    },
    async ping() {
      await pool.query("SELECT 1");
    },
    async close() {
      await pool.end();
    },
  };
}
