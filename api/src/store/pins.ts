import { randomBytes } from "node:crypto";
import { appendSealed } from "./audit.js";
import type { Engine, PinDbRow } from "./engine.js";
import type { PinRequestOutcome, PinRow, PinStore } from "./store.js";

class QuotaRefusal extends Error {
  constructor(readonly retryAfterMs: number) {
    super("pin quota exceeded");
  }
}

export function pinStore(engine: Engine): PinStore {
  return {
    request: ({ subject, cid, audit, now, quota }) =>
      engine
        .transaction(async (sql) => {
          const row: PinDbRow = {
            subject,
            cid,
            name: randomBytes(16).toString("hex"),
            wanted: "pin",
            status: "queued",
            request_id: null,
            submitting: 0,
            attempts: 0,
            next_attempt_at: now,
            lease_until: 0,
            reason: null,
            created_at: now,
            updated_at: now,
          };
          if (await sql.pins.insert(row)) {
            const { count, oldest } = await sql.pins.createdSince(subject, now - quota.windowMs);
            if (count > quota.max) throw new QuotaRefusal(Math.max(1, (oldest ?? now) + quota.windowMs - now));
          } else {
            await sql.pins.want(subject, cid, "pin", now);
          }
          await appendSealed(sql, [audit], now);
          const outcome: PinRequestOutcome = { accepted: true, pin: toPin((await sql.pins.get(subject, cid))!) };
          return outcome;
        })
        .catch((error: unknown): PinRequestOutcome => {
          if (error instanceof QuotaRefusal) return { accepted: false, retryAfterMs: error.retryAfterMs };
          throw error;
        }),
    get: (subject, cid) =>
      engine.autocommit(async (sql) => {
        const row = await sql.pins.get(subject, cid);
        return row ? toPin(row) : null;
      }),
    list: (subject, limit) => engine.autocommit(async (sql) => (await sql.pins.bySubject(subject, limit)).map(toPin)),
    unpin: (subject, cid, audit, now) =>
      engine.transaction(async (sql) => {
        if (!(await sql.pins.get(subject, cid))) return null;
        await sql.pins.want(subject, cid, "unpin", now);
        await appendSealed(sql, [audit], now);
        return toPin((await sql.pins.get(subject, cid))!);
      }),
    claimDue: (now, leaseMs, limit) => engine.transaction(async (sql) => (await sql.pins.claimDue(now, now + leaseMs, limit)).map(toPin), { serial: false }),
    settle: (row, progress, now, release) =>
      engine.autocommit((sql) =>
        sql.pins.settle(
          row.subject,
          row.cid,
          row.leaseUntil,
          {
            status: progress.status,
            request_id: progress.requestId,
            submitting: progress.submitting ? 1 : 0,
            attempts: progress.attempts,
            next_attempt_at: progress.nextAttemptAt,
            reason: progress.reason,
            updated_at: now,
          },
          release,
        ),
      ),
    removeUnwanted: (row) => engine.autocommit((sql) => sql.pins.removeUnwanted(row.subject, row.cid, row.leaseUntil)),
  };
}

function toPin(row: PinDbRow): PinRow {
  return {
    subject: row.subject,
    cid: row.cid,
    name: row.name,
    wanted: row.wanted,
    status: row.status,
    requestId: row.request_id,
    submitting: row.submitting === 1,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    leaseUntil: row.lease_until,
    reason: row.reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
