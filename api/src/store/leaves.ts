import type { Engine } from "./engine.js";
import { appendSealed } from "./audit.js";
import { toLeaf } from "./rows.js";
import type { AcceptOutcome, LeafStore } from "./store.js";

/** Thrown inside the transaction to roll it back; answered as an outcome, never seen outside. */
class QuotaRefusal extends Error {
  constructor(readonly retryAfterMs: number) {
    super("quota exceeded");
  }
}

export function leafStore(engine: Engine): LeafStore {
  return {
    accept: ({ leaves, subject, audit, now, quota }) =>
      engine
        .transaction(async (sql) => {
          await sql.leaves.insertNew(leaves, subject, now);
          if (quota) {
            // Counted after inserting, so leaves the subject had already queued (a retry) cost nothing again;
            // over the quota, the rollback undoes this request's inserts.
            const { count, oldest } = await sql.leaves.submittedSince(subject, now - quota.windowMs);
            if (count > quota.max) throw new QuotaRefusal(Math.max(1, (oldest ?? now) + quota.windowMs - now));
          }
          await appendSealed(sql, [audit], now);
          const statuses = await sql.leaves.batchStatuses(leaves);
          // A leaf is anchored once its batch is confirmed on chain; until then (waiting, built, sent) it is pending.
          const accepted: AcceptOutcome = {
            accepted: true,
            leaves: leaves.map((leaf) => ({ leaf, status: statuses.get(leaf) === "confirmed" ? "anchored" : "pending" })),
          };
          return accepted;
        })
        .catch((error: unknown): AcceptOutcome => {
          if (error instanceof QuotaRefusal) return { accepted: false, retryAfterMs: error.retryAfterMs };
          throw error;
        }),
    get: (leaf) =>
      engine.autocommit(async (sql) => {
        const row = await sql.leaves.get(leaf);
        if (!row) return null;
        return toLeaf(row, row.batch_id === null ? undefined : await sql.batches.get(row.batch_id));
      }),
    pendingStats: () =>
      engine.autocommit(async (sql) => {
        const { count, oldest } = await sql.leaves.pendingStats();
        return { count, oldestSubmittedAt: oldest };
      }),
  };
}
