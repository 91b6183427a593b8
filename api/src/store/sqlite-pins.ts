import type Database from "better-sqlite3";
import type { PinDbRow, PinSql } from "./engine.js";

/** The pin requests' SQL on SQLite (see `pinTables`); part of the SQLite engine. */
export function sqlitePinSql(db: Database.Database): PinSql {
  const q = {
    insert: db.prepare(
      `INSERT INTO pin_requests (subject, cid, name, wanted, status, request_id, submitting, attempts, next_attempt_at, lease_until, reason, created_at, updated_at)
       VALUES (@subject, @cid, @name, @wanted, @status, @request_id, @submitting, @attempts, @next_attempt_at, @lease_until, @reason, @created_at, @updated_at)
       ON CONFLICT (subject, cid) DO NOTHING`,
    ),
    get: db.prepare<[string, string], PinDbRow>("SELECT * FROM pin_requests WHERE subject = ? AND cid = ?"),
    bySubject: db.prepare<[string, number], PinDbRow>("SELECT * FROM pin_requests WHERE subject = ? ORDER BY created_at DESC, cid LIMIT ?"),
    createdSince: db.prepare<[string, number], { count: number; oldest: number | null }>(
      "SELECT count(*) AS count, min(created_at) AS oldest FROM pin_requests WHERE subject = ? AND created_at > ?",
    ),
    want: db.prepare(
      `UPDATE pin_requests SET wanted = @wanted, updated_at = @now,
         status = CASE WHEN @wanted = 'pin' AND status = 'failed' THEN 'queued' ELSE status END,
         attempts = CASE WHEN @wanted = 'pin' AND status = 'failed' THEN 0 ELSE attempts END,
         reason = CASE WHEN @wanted = 'pin' AND status = 'failed' THEN NULL ELSE reason END,
         next_attempt_at = CASE WHEN @wanted = 'pin' AND status = 'failed' THEN @now ELSE next_attempt_at END
       WHERE subject = @subject AND cid = @cid`,
    ),
    claimDue: db.prepare<[{ now: number; leaseUntil: number; limit: number }], PinDbRow>(
      `UPDATE pin_requests SET lease_until = @leaseUntil WHERE rowid IN (
         SELECT rowid FROM pin_requests WHERE lease_until <= @now
           AND (next_attempt_at <= @now OR (wanted = 'unpin' AND next_attempt_at IS NULL))
         ORDER BY next_attempt_at LIMIT @limit)
       RETURNING *`,
    ),
    settle: db.prepare(
      `UPDATE pin_requests SET status = @status, request_id = @request_id, submitting = @submitting, attempts = @attempts,
         next_attempt_at = @next_attempt_at, reason = @reason, updated_at = @updated_at, lease_until = @lease_after
       WHERE subject = @subject AND cid = @cid AND lease_until = @lease`,
    ),
    removeUnwanted: db.prepare("DELETE FROM pin_requests WHERE subject = ? AND cid = ? AND wanted = 'unpin' AND lease_until = ?"),
  };
  return {
    insert: async (row) => q.insert.run(row).changes === 1,
    get: async (subject, cid) => q.get.get(subject, cid),
    bySubject: async (subject, limit) => q.bySubject.all(subject, limit),
    createdSince: async (subject, since) => q.createdSince.get(subject, since)!,
    async want(subject, cid, wanted, now) {
      q.want.run({ subject, cid, wanted, now });
    },
    claimDue: async (now, leaseUntil, limit) => q.claimDue.all({ now, leaseUntil, limit }),
    settle: async (subject, cid, lease, progress, release) => q.settle.run({ ...progress, subject, cid, lease, lease_after: release ? 0 : lease }).changes === 1,
    removeUnwanted: async (subject, cid, lease) => q.removeUnwanted.run(subject, cid, lease).changes === 1,
  };
}
