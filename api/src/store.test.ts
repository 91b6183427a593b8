import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBatch, commitmentOf, newSalt, type Hex } from "@openchart/sdk";
import { findChainBreak, type AuditDraft } from "./auditLog.js";
import { openStore, type Store } from "./db.js";
// One throw-away PostgreSQL helper for the repository: the agent's (the API depends on the agent).
import { startPostgres, type PostgresServer as TestPostgres } from "../../agent/scripts/postgres-server.js";
import { tempDir } from "../test/stack.js";

// The same contract for every storage engine: SQLite (default) and PostgreSQL (a real server).
const sqliteDir = tempDir("openchart-store-");
let postgres: TestPostgres;

beforeAll(async () => {
  postgres = await startPostgres();
});

afterAll(async () => {
  await postgres?.stop();
  sqliteDir.remove();
});

const engines: [string, () => Promise<Store>][] = [
  ["SQLite", () => openStore(`sqlite:${path.join(sqliteDir.dir, "store.sqlite")}`)],
  ["PostgreSQL", () => openStore(postgres.url)],
];

const leaves = (n: number): Hex[] => Array.from({ length: n }, () => commitmentOf(newSalt(), newSalt()));
const submit = (subject: string, list: Hex[]): AuditDraft => ({ subject, action: "anchor.submit", decision: "accepted", refs: { leaves: list } });

describe.each(engines)("%s store", (_name, open) => {
  it("keeps leaves once, replays an idempotency key, and refuses it for other leaves", async () => {
    const store = await open();
    try {
      const [a, b, c] = leaves(3);
      const first = await store.acceptLeaves({ leaves: [a!, b!], idempotency: { key: "k1", bodyHash: "h1" }, audit: submit("did:example:1", [a!, b!]), now: 1 });
      expect(first).toEqual({ kind: "accepted", replayed: false, leaves: [{ leaf: a, status: "pending" }, { leaf: b, status: "pending" }] });
      expect(await store.acceptLeaves({ leaves: [a!, b!], idempotency: { key: "k1", bodyHash: "h1" }, audit: submit("did:example:1", [a!, b!]), now: 2 })).toMatchObject({ replayed: true });
      expect(await store.acceptLeaves({ leaves: [c!], idempotency: { key: "k1", bodyHash: "h2" }, audit: submit("did:example:1", [c!]), now: 3 })).toEqual({ kind: "idempotency-conflict" });
      expect(await store.leaf(c!)).toBeNull();
      expect(await store.acceptLeaves({ leaves: [b!, c!], audit: submit("did:example:2", [b!, c!]), now: 4 })).toMatchObject({ replayed: false });
      expect((await store.leaf(b!))?.submittedAt).toBe(1);
    } finally {
      await store.close();
    }
  });

  it("batches waiting leaves with the audit head, records attempts, and confirms", async () => {
    const store = await open();
    try {
      while (await store.openBatch()) {
        const open = (await store.openBatch())!;
        await store.confirmBatch(open.id, { txHash: `0x${"0".repeat(64)}`, blockNumber: 1, anchoredAt: 1, gasUsed: 1 }, submit("service", []), 5);
      }
      for (let b = await store.createBatch({ maxLeaves: 1000, now: 5, build: buildBatch }); b; b = await store.createBatch({ maxLeaves: 1000, now: 5, build: buildBatch })) {
        await store.confirmBatch(b.id, { txHash: `0x${"0".repeat(64)}`, blockNumber: 1, anchoredAt: 1, gasUsed: 1 }, submit("service", []), 5);
      }
      const mine = leaves(5);
      await store.acceptLeaves({ leaves: mine, audit: submit("did:example:3", mine), now: 10 });
      expect((await store.pendingStats()).count).toBe(5);
      const batch = (await store.createBatch({ maxLeaves: 3, now: 11, build: buildBatch }))!;
      expect(batch).toMatchObject({ status: "built", leafCount: 4, anchor: null }); // 3 leaves + the audit head
      expect((await store.openBatch())?.id).toBe(batch.id);
      expect(await store.pendingStats()).toEqual({ count: 2, oldestSubmittedAt: 10 });

      const heads = await store.auditHeads();
      const head = heads.at(-1)!;
      expect(head.batchId).toBe(batch.id);
      expect((await store.leaf(head.leaf))?.proof).not.toBeNull();

      await store.addAttempt({ batchId: batch.id, nonce: 7, txHash: `0x${"ab".repeat(32)}`, rawTx: "0x02", maxFeePerGas: 10n ** 20n, maxPriorityFeePerGas: 2n, sentAt: 12 });
      expect((await store.openBatch())?.status).toBe("sent");
      expect(await store.attempts(batch.id)).toEqual([
        { batchId: batch.id, nonce: 7, txHash: `0x${"ab".repeat(32)}`, rawTx: "0x02", maxFeePerGas: 10n ** 20n, maxPriorityFeePerGas: 2n, sentAt: 12 },
      ]);
      const anchor = { txHash: `0x${"cd".repeat(32)}` as Hex, blockNumber: 42, anchoredAt: 1_800_000_000, gasUsed: 46_000 };
      await store.confirmBatch(batch.id, anchor, { subject: "service", action: "anchor.batch", decision: "confirmed", refs: { root: batch.root } }, 13);
      expect(await store.openBatch()).toBeNull();
      const record = (await store.leaf(mine[0]!))!;
      expect(record.batch).toMatchObject({ id: batch.id, status: "confirmed", anchor });
      expect(buildBatch([...mine.slice(0, 3), head.leaf]).proofOf(mine[0]!)).toEqual(record.proof);
      expect((await store.acceptLeaves({ leaves: [mine[0]!], audit: submit("did:example:3", [mine[0]!]), now: 14 })).kind === "accepted").toBe(true);
      expect((await store.acceptLeaves({ leaves: [mine[0]!], audit: submit("did:example:3", [mine[0]!]), now: 14 }))).toMatchObject({ leaves: [{ status: "anchored" }] });
    } finally {
      await store.close();
    }
  });

  it("keeps the audit chain intact under concurrent writers", async () => {
    const store = await open();
    try {
      await Promise.all(Array.from({ length: 25 }, (_, i) => store.acceptLeaves({ leaves: leaves(2), audit: submit(`did:example:c${i % 3}`, []), now: 20 + i })));
      const entries = await store.auditEntries({ limit: 10_000 });
      expect(findChainBreak(entries)).toBeNull();
      expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
      const mineOnly = await store.auditEntries({ subject: "did:example:c1", limit: 100 });
      expect(mineOnly.length).toBeGreaterThanOrEqual(8);
      expect(mineOnly.every((e) => e.subject === "did:example:c1")).toBe(true);
    } finally {
      await store.close();
    }
  });
});
