import type { Hex } from "@openchart/sdk";
import type { Engine } from "./engine.js";
import { appendSealed } from "./audit.js";
import { checkFence } from "./leases.js";
import { attemptRow, proofColumn, toAttempt, toBatch } from "./rows.js";
import type { BatchStore } from "./store.js";

export function batchStore(engine: Engine): BatchStore {
  return {
    create: ({ maxLeaves, now, build, fence }) =>
      engine.transaction(async (sql) => {
        await checkFence(sql, fence);
        const waiting = await sql.leaves.waiting(maxLeaves);
        if (waiting.length === 0) return null;
        // The audit chain's head goes into the batch as one more leaf (unless an earlier batch holds it
        // already), so the log is anchored like any record and cannot be rewritten before that head.
        const last = await sql.audit.last();
        const head = last && !(await sql.leaves.get(last.hash as Hex)) ? { seq: last.seq, leaf: last.hash as Hex } : undefined;
        const leaves = head ? [...waiting, head.leaf] : waiting;
        const tree = build(leaves);
        const id = await sql.batches.insert(tree.root, leaves.length, now);
        await sql.leaves.assign(id, waiting.map((leaf) => ({ leaf, proof: proofColumn(tree.proofOf(leaf)) })));
        if (head) {
          await sql.leaves.insertBatched(head.leaf, now, id, proofColumn(tree.proofOf(head.leaf)));
          await sql.audit.insertHead(head.leaf, head.seq, id);
        }
        return toBatch((await sql.batches.get(id))!);
      }),
    gasSince: (since) => engine.autocommit((sql) => sql.batches.gasSince(since)),
    open: () =>
      engine.autocommit(async (sql) => {
        const row = await sql.batches.oldestUnconfirmed();
        return row ? toBatch(row) : null;
      }),
    attempts: (batchId) => engine.autocommit(async (sql) => (await sql.batches.attempts(batchId)).map(toAttempt)),
    addAttempt: (attempt, fence) =>
      engine.transaction(async (sql) => {
        await checkFence(sql, fence);
        await sql.batches.insertAttempt(attemptRow(attempt));
        await sql.batches.markSent(attempt.batchId);
      }),
    markMined: (batchId, mined, fence) =>
      engine.transaction(async (sql) => {
        await checkFence(sql, fence);
        await sql.batches.markMined(batchId, mined);
      }),
    confirm: (batchId, anchor, audit, now, fence) =>
      engine.transaction(async (sql) => {
        await checkFence(sql, fence);
        await sql.batches.confirm(batchId, anchor);
        await appendSealed(sql, [audit], now);
      }),
  };
}
