import type pg from "pg";
import type { PinDbRow, PinSql } from "./engine.js";

const COLUMNS = "subject, cid, name, wanted, status, request_id, submitting, attempts, next_attempt_at, lease_until, reason, created_at, updated_at";

/** The pin requests' SQL on PostgreSQL (see `pinTables`); part of the PostgreSQL engine. */
export function postgresPinSql(db: pg.Pool | pg.PoolClient): PinSql {
  const rows = async (text: string, values: unknown[]) => (await db.query<PinDbRow>(text, values)).rows;
  const changes = async (text: string, values: unknown[]) => (await db.query(text, values)).rowCount ?? 0;
  return {
    insert: async (r) =>
      (await changes(`INSERT INTO pin_requests (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (subject, cid) DO NOTHING`, [
        r.subject, r.cid, r.name, r.wanted, r.status, r.request_id, r.submitting, r.attempts, r.next_attempt_at, r.lease_until, r.reason, r.created_at, r.updated_at,
      ])) === 1,
    get: async (subject, cid) => (await rows("SELECT * FROM pin_requests WHERE subject = $1 AND cid = $2", [subject, cid]))[0],
    bySubject: (subject, limit) => rows("SELECT * FROM pin_requests WHERE subject = $1 ORDER BY created_at DESC, cid LIMIT $2", [subject, limit]),
    createdSince: async (subject, since) =>
      (await db.query<{ count: number; oldest: number | null }>(
        "SELECT count(*)::int AS count, min(created_at) AS oldest FROM pin_requests WHERE subject = $1 AND created_at > $2",
        [subject, since],
      )).rows[0]!,
    async want(subject, cid, wanted, now) {
      await db.query(
        `UPDATE pin_requests SET wanted = $3, updated_at = $4,
           status = CASE WHEN $3 = 'pin' AND status = 'failed' THEN 'queued' ELSE status END,
           attempts = CASE WHEN $3 = 'pin' AND status = 'failed' THEN 0 ELSE attempts END,
           reason = CASE WHEN $3 = 'pin' AND status = 'failed' THEN NULL ELSE reason END,
           next_attempt_at = CASE WHEN $3 = 'pin' AND status = 'failed' THEN $4 ELSE next_attempt_at END
         WHERE subject = $1 AND cid = $2`,
        [subject, cid, wanted, now],
      );
    },
    // SKIP LOCKED: replicas claiming at once each take other rows instead of waiting on one another.
    claimDue: (now, leaseUntil, limit) =>
      rows(
        `UPDATE pin_requests SET lease_until = $2 WHERE (subject, cid) IN (
           SELECT subject, cid FROM pin_requests WHERE lease_until <= $1
             AND (next_attempt_at <= $1 OR (wanted = 'unpin' AND next_attempt_at IS NULL))
           ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [now, leaseUntil, limit],
      ),
    settle: async (subject, cid, lease, p, release) =>
      (await changes(
        `UPDATE pin_requests SET status = $4, request_id = $5, submitting = $6, attempts = $7, next_attempt_at = $8, reason = $9, updated_at = $10, lease_until = $11
         WHERE subject = $1 AND cid = $2 AND lease_until = $3`,
        [subject, cid, lease, p.status, p.request_id, p.submitting, p.attempts, p.next_attempt_at, p.reason, p.updated_at, release ? 0 : lease],
      )) === 1,
    removeUnwanted: async (subject, cid, lease) =>
      (await changes("DELETE FROM pin_requests WHERE subject = $1 AND cid = $2 AND wanted = 'unpin' AND lease_until = $3", [subject, cid, lease])) === 1,
  };
}
