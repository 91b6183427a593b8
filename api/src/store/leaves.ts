import type { Engine } from "./engine.js";
import { appendSealed } from "./audit.js";
import { toLeaf } from "./rows.js";
import type { LeafStore } from "./store.js";

export function leafStore(engine: Engine): LeafStore {
  return {
    accept: ({ leaves, audit, now }) =>
      engine.transaction(async (sql) => {
        await sql.leaves.insertNew(leaves, now);
        await appendSealed(sql, [audit], now);
        const statuses = await sql.leaves.batchStatuses(leaves);
        // A leaf is anchored once its batch is confirmed on chain; until then (waiting, built, sent) it is pending.
        return { leaves: leaves.map((leaf) => ({ leaf, status: statuses.get(leaf) === "confirmed" ? "anchored" : "pending" })) };
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
