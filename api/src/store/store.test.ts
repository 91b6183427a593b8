import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { buildBatch, commitmentOf, newSalt, type Hex } from "@openchart/sdk";
import { findChainBreak, type AuditDraft } from "../audit/log.js";
import { storeEngines } from "../../test/engines.js";
import { tempDir } from "../../test/stack.js";
import { openStore } from "./open-store.js";

// The same contract for every storage engine: SQLite (default) and PostgreSQL (a real server).
const { engines } = storeEngines("openchart-store-");

const leaves = (n: number): Hex[] => Array.from({ length: n }, () => commitmentOf(newSalt(), newSalt()));
const submit = (subject: string, list: Hex[]): AuditDraft => ({ subject, action: "anchor.submit", decision: "accepted", refs: { leaves: list } });

describe.each(engines)("%s store", (_name, open) => {
  it("keeps one wrapped key per DID across a reopen, replaces it, and audits each write", async () => {
    const did = `did:pkh:eip155:31337:0x${Math.random().toString(16).slice(2).padEnd(40, "0")}`;
    const put = (refs: Record<string, string>): AuditDraft => ({ subject: did, action: "keys.wrapped.put", decision: "accepted", refs });
    let store = await open();
    try {
      expect(await store.wrappedKeys.get(did)).toBeNull();
      await store.wrappedKeys.put(did, '{"first":1}', put({ n: "1" }), 10);
      await store.wrappedKeys.put(did, '{"second":2}', put({ n: "2" }), 20);
    } finally {
      await store.close();
    }
    store = await open();
    try {
      expect(await store.wrappedKeys.get(did)).toEqual({ blob: '{"second":2}', updatedAt: 20 });
      expect(await store.wrappedKeys.get(`${did}0`)).toBeNull();
      expect((await store.audit.entries({ subject: did, limit: 10 })).map((e) => e.refs)).toEqual([{ n: "1" }, { n: "2" }]);
    } finally {
      await store.close();
    }
  });

  it("keeps leaves once, and answers their state", async () => {
    const store = await open();
    try {
      const [a, b, c] = leaves(3);
      const first = await store.leaves.accept({ leaves: [a!, b!], subject: "did:example:1", audit: submit("did:example:1", [a!, b!]), now: 1 });
      expect(first).toEqual({ accepted: true, leaves: [{ leaf: a, status: "pending" }, { leaf: b, status: "pending" }] });
      expect(await store.leaves.accept({ leaves: [b!, c!], subject: "did:example:2", audit: submit("did:example:2", [b!, c!]), now: 4 })).toEqual({
        accepted: true,
        leaves: [{ leaf: b, status: "pending" }, { leaf: c, status: "pending" }],
      });
      expect((await store.leaves.get(b!))?.submittedAt).toBe(1);
    } finally {
      await store.close();
    }
  });

  it("claims a sign-in nonce once until it expires, across a reopen, and sweeps expired ones", async () => {
    const nonce = `did:key:z6Mk${Math.random()}:n1`;
    let store = await open();
    try {
      expect(await store.nonces.claim(nonce, 2_000, 1_000)).toBe(true);
      expect(await store.nonces.claim(nonce, 2_500, 1_500)).toBe(false);
    } finally {
      await store.close();
    }
    store = await open();
    try {
      expect(await store.nonces.claim(nonce, 2_600, 1_600)).toBe(false);
      // Past its expiry the request's timestamp check refuses it anyway; the row may be reused.
      expect(await store.nonces.claim(nonce, 9_000, 2_000)).toBe(true);
      expect(await store.nonces.claim(`${nonce}:other`, 3_000, 2_000)).toBe(true);
      expect(await store.nonces.sweepExpired(3_000)).toBeGreaterThanOrEqual(1);
      expect(await store.nonces.claim(nonce, 9_500, 3_000)).toBe(false);
    } finally {
      await store.close();
    }
  });

  it("reserves an idempotency key, replays its answer, refuses it for another request, and forgets it when expired", async () => {
    const store = await open();
    const id = { scope: `did:example:${Math.random()}`, route: "POST /things", keyHash: "k" };
    const begin = (fingerprint: string, now: number) => store.idempotency.begin({ ...id, fingerprint, now, leaseUntil: now + 100, expiresAt: now + 1_000 });
    try {
      expect(await begin("f1", 10)).toEqual({ kind: "reserved" });
      expect(await begin("f1", 20)).toEqual({ kind: "in-progress" });
      expect(await begin("f2", 20)).toEqual({ kind: "conflict" });
      await store.idempotency.complete(id, { status: 201, contentType: "application/json; charset=utf-8", body: '{"id":1}' }, 1_000);
      expect(await begin("f1", 30)).toEqual({ kind: "replay", answer: { status: 201, contentType: "application/json; charset=utf-8", body: '{"id":1}' } });
      expect(await begin("f2", 30)).toEqual({ kind: "conflict" });
      expect(await store.idempotency.begin({ ...id, scope: "ip:127.0.0.1", fingerprint: "f2", now: 30, leaseUntil: 130, expiresAt: 1_030 })).toEqual({ kind: "reserved" });
      expect(await begin("f2", 1_000)).toEqual({ kind: "reserved" });

      // A reservation whose request failed is released; one abandoned past its lease is taken over.
      await store.idempotency.release(id);
      expect(await begin("f3", 1_100)).toEqual({ kind: "reserved" });
      expect(await begin("f3", 1_150)).toEqual({ kind: "in-progress" });
      expect(await begin("f3", 1_201)).toEqual({ kind: "reserved" });
      // A running request renews its lease; a dead one's lapses. At start, a database of one process
      // (SQLite) drops every reservation; a shared one only those whose lease ran out.
      await store.idempotency.renew(id, 1_400);
      expect(await begin("f3", 1_350)).toEqual({ kind: "in-progress" });
      await store.idempotency.releaseAbandoned(1_202);
      expect(await begin("f4", 1_202)).toEqual(store.shared ? { kind: "conflict" } : { kind: "reserved" });
      await store.idempotency.releaseAbandoned(1_400);
      expect(await begin("f4", 1_202)).toEqual({ kind: "reserved" });
      await store.idempotency.complete(id, { status: 202, contentType: "application/json", body: "{}" }, 5_000);
      expect(await store.idempotency.sweepExpired(5_000)).toBeGreaterThanOrEqual(1);
      expect(await begin("f5", 5_001)).toEqual({ kind: "reserved" });
    } finally {
      await store.close();
    }
  });

  it("batches waiting leaves with the audit head, records attempts, and confirms", async () => {
    const store = await open();
    try {
      while (await store.batches.open()) {
        const open = (await store.batches.open())!;
        await store.batches.confirm(open.id, { txHash: `0x${"0".repeat(64)}`, blockNumber: 1, anchoredAt: 1, gasUsed: 1 }, submit("service", []), 5);
      }
      for (let b = await store.batches.create({ maxLeaves: 1000, now: 5, build: buildBatch }); b; b = await store.batches.create({ maxLeaves: 1000, now: 5, build: buildBatch })) {
        await store.batches.confirm(b.id, { txHash: `0x${"0".repeat(64)}`, blockNumber: 1, anchoredAt: 1, gasUsed: 1 }, submit("service", []), 5);
      }
      const mine = leaves(5);
      await store.leaves.accept({ leaves: mine, subject: "did:example:3", audit: submit("did:example:3", mine), now: 10 });
      expect((await store.leaves.pendingStats()).count).toBe(5);
      const batch = (await store.batches.create({ maxLeaves: 3, now: 11, build: buildBatch }))!;
      expect(batch).toMatchObject({ status: "built", leafCount: 4, anchor: null }); // 3 leaves + the audit head
      expect((await store.batches.open())?.id).toBe(batch.id);
      expect(await store.leaves.pendingStats()).toEqual({ count: 2, oldestSubmittedAt: 10 });

      const heads = await store.audit.heads();
      const head = heads.at(-1)!;
      expect(head.batchId).toBe(batch.id);
      expect((await store.leaves.get(head.leaf))?.proof).not.toBeNull();

      await store.batches.addAttempt({ batchId: batch.id, nonce: 7, txHash: `0x${"ab".repeat(32)}`, rawTx: "0x02", maxFeePerGas: 10n ** 20n, maxPriorityFeePerGas: 2n, sentAt: 12 });
      expect((await store.batches.open())?.status).toBe("sent");
      expect(await store.batches.attempts(batch.id)).toEqual([
        { batchId: batch.id, nonce: 7, txHash: `0x${"ab".repeat(32)}`, rawTx: "0x02", maxFeePerGas: 10n ** 20n, maxPriorityFeePerGas: 2n, sentAt: 12 },
      ]);
      // Mined but shallow, then dropped by a reorganization: the batch notes it, forgets it, notes it again.
      const mined = { txHash: `0x${"ab".repeat(32)}` as Hex, blockNumber: 41, confirmations: 1 };
      await store.batches.markMined(batch.id, mined);
      expect((await store.leaves.get(mine[0]!))?.batch).toMatchObject({ status: "sent", mined, anchor: null });
      await store.batches.markMined(batch.id, null);
      expect((await store.batches.open())?.mined).toBeNull();
      await store.batches.markMined(batch.id, { ...mined, blockNumber: 42, confirmations: 2 });
      expect((await store.batches.open())?.mined).toEqual({ ...mined, blockNumber: 42, confirmations: 2 });
      const anchor = { txHash: `0x${"cd".repeat(32)}` as Hex, blockNumber: 42, anchoredAt: 1_800_000_000, gasUsed: 46_000 };
      await store.batches.confirm(batch.id, anchor, { subject: "service", action: "anchor.batch", decision: "confirmed", refs: { root: batch.root } }, 13);
      expect(await store.batches.open()).toBeNull();
      const record = (await store.leaves.get(mine[0]!))!;
      expect(record.batch).toMatchObject({ id: batch.id, status: "confirmed", anchor, mined: null });
      expect(buildBatch([...mine.slice(0, 3), head.leaf]).proofOf(mine[0]!)).toEqual(record.proof);
      expect(((await store.leaves.accept({ leaves: [mine[0]!], subject: "did:example:3", audit: submit("did:example:3", [mine[0]!]), now: 14 })) as { leaves: unknown[] }).leaves).toHaveLength(1);
      expect((await store.leaves.accept({ leaves: [mine[0]!], subject: "did:example:3", audit: submit("did:example:3", [mine[0]!]), now: 14 }))).toMatchObject({ leaves: [{ status: "anchored" }] });
    } finally {
      await store.close();
    }
  });

  it("takes waiting leaves round-robin across subjects, so one subject's flood does not keep another's out", async () => {
    const store = await open();
    try {
      // Start from an empty queue: earlier tests on a shared database may have left leaves waiting.
      for (let b = await store.batches.create({ maxLeaves: 10_000, now: 30, build: buildBatch }); b; b = await store.batches.create({ maxLeaves: 10_000, now: 30, build: buildBatch })) {
        await store.batches.confirm(b.id, { txHash: `0x${"0".repeat(64)}`, blockNumber: 1, anchoredAt: 1, gasUsed: 1 }, submit("service", []), 30);
      }
      const flood = leaves(500);
      await store.leaves.accept({ leaves: flood, subject: "did:example:flood", audit: submit("did:example:flood", []), now: 31 });
      const [late] = leaves(1);
      await store.leaves.accept({ leaves: [late!], subject: "did:example:late", audit: submit("did:example:late", []), now: 32 });
      const batch = (await store.batches.create({ maxLeaves: 8, now: 33, build: buildBatch }))!;
      expect((await store.leaves.get(late!))?.batch?.id).toBe(batch.id);
      expect((await store.leaves.get(flood[0]!))?.batch?.id).toBe(batch.id);
      expect((await store.leaves.get(flood[7]!))?.batch).toBeNull();
    } finally {
      await store.close();
    }
  });

  it("refuses a request whole beyond the subject's quota in the window, not counting leaves it already queued", async () => {
    const store = await open();
    try {
      const subject = `did:example:quota${Math.random()}`;
      const quota = { max: 3, windowMs: 1_000 };
      const [a, b, c, d] = leaves(4);
      expect(await store.leaves.accept({ leaves: [a!, b!], subject, audit: submit(subject, []), now: 100, quota })).toMatchObject({ accepted: true });
      expect(await store.leaves.accept({ leaves: [c!, d!], subject, audit: submit(subject, []), now: 200, quota })).toEqual({ accepted: false, retryAfterMs: 900 });
      expect(await store.leaves.get(c!)).toBeNull();
      expect(await store.leaves.accept({ leaves: [a!, c!], subject, audit: submit(subject, []), now: 200, quota })).toMatchObject({ accepted: true });
      // The first two leave the window at 1,100 ms.
      expect(await store.leaves.accept({ leaves: [d!], subject, audit: submit(subject, []), now: 1_101, quota })).toMatchObject({ accepted: true });
    } finally {
      await store.close();
    }
  });

  it("keeps the audit chain intact under concurrent writers", async () => {
    const store = await open();
    try {
      await Promise.all(Array.from({ length: 25 }, (_, i) => store.leaves.accept({ leaves: leaves(2), subject: `did:example:c${i % 3}`, audit: submit(`did:example:c${i % 3}`, []), now: 20 + i })));
      const entries = await store.audit.entries({ limit: 10_000 });
      expect(findChainBreak(entries)).toBeNull();
      expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
      const mineOnly = await store.audit.entries({ subject: "did:example:c1", limit: 100 });
      expect(mineOnly.length).toBeGreaterThanOrEqual(8);
      expect(mineOnly.every((e) => e.subject === "did:example:c1")).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe("an SQLite database from before reorg-safe confirmations", () => {
  it("gains the columns where a batch's mined transaction is noted, and keeps its batches", async () => {
    const sqliteDir = tempDir("openchart-old-batches-");
    const file = path.join(sqliteDir.dir, "old-batches.sqlite");
    const old = new Database(file);
    old.exec(`CREATE TABLE batches (id INTEGER PRIMARY KEY, root TEXT NOT NULL UNIQUE, leaf_count INTEGER NOT NULL, created_at INTEGER NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('built', 'sent', 'confirmed')), tx_hash TEXT, block_number INTEGER, anchored_at INTEGER, gas_used INTEGER);
      INSERT INTO batches (root, leaf_count, created_at, status) VALUES ('0x${"12".repeat(32)}', 1, 5, 'sent');`);
    old.close();
    const store = await openStore(`sqlite:${file}`);
    try {
      const batch = (await store.batches.open())!;
      expect(batch).toMatchObject({ status: "sent", mined: null });
      await store.batches.markMined(batch.id, { txHash: `0x${"34".repeat(32)}`, blockNumber: 9, confirmations: 1 });
      expect((await store.batches.open())?.mined).toEqual({ txHash: `0x${"34".repeat(32)}`, blockNumber: 9, confirmations: 1 });
    } finally {
      await store.close();
      sqliteDir.remove();
    }
  });
});
