import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildBatch, commitmentOf, newSalt } from "@openchart/sdk";
import { storeEngines } from "../../test/engines.js";
import { LeaseLost } from "./leases.js";
import { openStore } from "./open-store.js";
import { countersFileOf } from "./sqlite-coordination.js";
import type { Store } from "./store.js";

// What API replicas share through the store, on both engines: two stores opened on one database stand
// for two replicas (two processes' connections), a store opened again for a restart.
const { engines, sqliteFile } = storeEngines("openchart-coordination-");

const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withTwo(open: () => Promise<Store>, work: (a: Store, b: Store) => Promise<void>): Promise<void> {
  const [a, b] = [await open(), await open()];
  try {
    await work(a, b);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

describe.each(engines)("%s: what replicas share", (_name, open) => {
  it("gives a lease to one holder at a time, lets it renew, and hands it over once it lapses or is released", async () => {
    await withTwo(open, async (a, b) => {
      const lease = unique("batcher");
      expect(await a.leases.acquire(lease, "replica-a", 600)).toBe(true);
      expect(await b.leases.acquire(lease, "replica-b", 600)).toBe(false);
      expect(await b.leases.holder(lease)).toBe("replica-a");
      await sleep(300);
      expect(await a.leases.acquire(lease, "replica-a", 600)).toBe(true); // renewed: 600 ms from now
      await sleep(400);
      expect(await b.leases.acquire(lease, "replica-b", 600)).toBe(false); // would have lapsed without the renewal
      await sleep(400);
      expect(await b.leases.holder(lease)).toBeNull();
      expect(await b.leases.acquire(lease, "replica-b", 5_000)).toBe(true);
      expect(await a.leases.acquire(lease, "replica-a", 300)).toBe(false);
      await a.leases.release(lease, "replica-a"); // not a's to release
      expect(await a.leases.holder(lease)).toBe("replica-b");
      await b.leases.release(lease, "replica-b");
      expect(await a.leases.acquire(lease, "replica-a", 60_000)).toBe(true);
      // At start, a database of one process frees a lease left by a process that is gone; a shared one does not.
      await b.leases.releaseAbandoned(lease);
      expect(await b.leases.holder(lease)).toBe(a.shared ? "replica-a" : null);
    });
  });

  it("refuses a batch write under a lease its writer lost, and writes nothing of it", async () => {
    await withTwo(open, async (a, b) => {
      const lease = unique("batcher");
      const fenceA = { name: lease, holder: "replica-a" };
      // Start from an empty queue: other tests on this database may have left leaves waiting.
      for (let batch = await a.batches.create({ maxLeaves: 10_000, now: 1, build: buildBatch }); batch; batch = await a.batches.create({ maxLeaves: 10_000, now: 1, build: buildBatch })) {
        await a.batches.confirm(batch.id, { txHash: `0x${"0".repeat(64)}`, blockNumber: 1, anchoredAt: 1, gasUsed: 1 }, { subject: "service", action: "anchor.batch", decision: "confirmed", refs: {} }, 1);
      }
      const leaves = [commitmentOf(newSalt(), newSalt())];
      await a.leaves.accept({ leaves, subject: "did:example:fence", audit: { subject: "did:example:fence", action: "anchor.submit", decision: "accepted", refs: {} }, now: 2 });
      await expect(a.batches.create({ maxLeaves: 10, now: 3, build: buildBatch, fence: fenceA })).rejects.toBeInstanceOf(LeaseLost);
      expect(await a.leases.acquire(lease, "replica-a", 200)).toBe(true);
      await sleep(400);
      expect(await b.leases.acquire(lease, "replica-b", 5_000)).toBe(true);
      await expect(a.batches.create({ maxLeaves: 10, now: 3, build: buildBatch, fence: fenceA })).rejects.toBeInstanceOf(LeaseLost);
      expect(await b.batches.open()).toBeNull();
      const built = (await b.batches.create({ maxLeaves: 10, now: 4, build: buildBatch, fence: { name: lease, holder: "replica-b" } }))!;
      const attempt = { batchId: built.id, nonce: 1, txHash: `0x${"ee".repeat(32)}` as const, rawTx: "0x02" as const, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n, sentAt: 5 };
      await expect(a.batches.addAttempt(attempt, fenceA)).rejects.toBeInstanceOf(LeaseLost);
      expect(await b.batches.attempts(built.id)).toEqual([]);
      const anchor = { txHash: attempt.txHash, blockNumber: 2, anchoredAt: 2, gasUsed: 2 };
      const audit = { subject: "service", action: "anchor.batch", decision: "confirmed", refs: {} } as const;
      await expect(a.batches.confirm(built.id, anchor, audit, 6, fenceA)).rejects.toBeInstanceOf(LeaseLost);
      expect((await b.batches.open())?.id).toBe(built.id);
      await b.batches.confirm(built.id, anchor, audit, 6, { name: lease, holder: "replica-b" });
      expect(await b.batches.open()).toBeNull();
    });
  });

  it("counts a key's hits in fixed windows across stores and restarts", async () => {
    const key = unique("did:example:busy");
    await withTwo(open, async (a, b) => {
      expect(await a.counters.hit(key, 1_000, 10_000)).toEqual({ count: 1, resetsAt: 11_000 });
      expect(await b.counters.hit(key, 1_000, 10_500)).toEqual({ count: 2, resetsAt: 11_000 });
      expect(await a.counters.hit(unique("other"), 1_000, 10_500)).toEqual({ count: 1, resetsAt: 11_500 });
    });
    const restarted = await open();
    try {
      expect(await restarted.counters.hit(key, 1_000, 10_900)).toEqual({ count: 3, resetsAt: 11_000 });
      expect(await restarted.counters.hit(key, 1_000, 11_000)).toEqual({ count: 1, resetsAt: 12_000 });
      expect(await restarted.counters.sweepExpired(20_000)).toBeGreaterThanOrEqual(2);
      expect(await restarted.counters.hit(key, 1_000, 20_001)).toEqual({ count: 1, resetsAt: 21_001 });
    } finally {
      await restarted.close();
    }
  });

  it("keeps licensed sessions and each doctor's last presentation across stores, with their audit entries", async () => {
    const did = unique("did:pkh:eip155:31337:0xd0c");
    const verified = { doctor: { name: "Dr. A" }, licenses: [{ id: "urn:uuid:1", expiresAt: 50_000 }], presentedAt: 100 };
    await withTwo(open, async (a, b) => {
      expect(await b.licensedSessions.session(did, "did:key:s1", 100)).toBeNull();
      expect(await b.licensedSessions.latest(did)).toBeNull();
      await a.licensedSessions.record({ did, sessionKey: "did:key:s1", until: 1_000, verified, presentedAt: 100 }, { subject: did, action: "license.present", decision: "accepted", refs: {} }, 100);
      expect(await b.licensedSessions.session(did, "did:key:s1", 999)).toEqual({ verified, until: 1_000 });
      expect(await b.licensedSessions.session(did, "did:key:s1", 1_000)).toBeNull();
      expect(await b.licensedSessions.session(did, "did:key:s2", 100)).toBeNull();
      expect(await b.licensedSessions.latest(did)).toEqual(verified);
      expect((await b.audit.entries({ subject: did, limit: 10 })).map((entry) => entry.action)).toEqual(["license.present"]);
      expect(await b.licensedSessions.sweepEnded(1_000)).toBeGreaterThanOrEqual(1);
      expect(await a.licensedSessions.session(did, "did:key:s1", 500)).toBeNull();
      expect(await a.licensedSessions.latest(did)).toEqual(verified); // who the doctor is outlives the session
    });
  });

  it("admits one DID's AI requests one at a time across stores, and counts its reported tokens", async () => {
    const did = unique("did:example:ai");
    const atMostThree = (usage: { requests: number[] }) => ({ ok: usage.requests.length < 3, seen: usage.requests.length });
    await withTwo(open, async (a, b) => {
      // Six at once (through two stores where two processes may share the database): exactly three are
      // admitted, whatever the interleaving. Two SQLite connections in one thread would wait on each other.
      const other = a.shared ? b : a;
      const verdicts = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : other).aiUsage.admit(did, 1_000 + i, 60_000, atMostThree)));
      expect(verdicts.filter((v) => v.ok)).toHaveLength(3);
      expect(verdicts.filter((v) => v.ok).map((v) => v.seen).sort()).toEqual([0, 1, 2]);
      await a.aiUsage.recordTokens(did, 700, 2_000);
      const usage = await b.aiUsage.admit(did, 3_000, 60_000, (seen) => ({ ok: false, seen }));
      expect(usage.seen).toEqual({ requests: [1_000, 1_001, 1_002, 1_003, 1_004, 1_005].filter((_, i) => verdicts[i]!.ok), tokens: [{ at: 2_000, count: 700 }] });
      // Outside the window, the use is not read; swept, it is gone.
      expect((await a.aiUsage.admit(did, 62_500, 60_000, (seen) => ({ ok: false, seen }))).seen).toEqual({ requests: [], tokens: [] });
      expect(await a.aiUsage.sweepBefore(2_000)).toBeGreaterThanOrEqual(4);
      expect((await b.aiUsage.admit(did, 3_000, 60_000, (seen) => ({ ok: false, seen }))).seen).toEqual({ requests: [], tokens: [] });
    });
  });
});

describe("SQLite's counters file", () => {
  it("lies beside the API's file, apart from it", async () => {
    expect(countersFileOf("/data/api.sqlite")).toBe("/data/api-limits.sqlite");
    const store = await openStore(`sqlite:${sqliteFile}`);
    await store.counters.hit("k", 1_000, 1);
    await store.close();
    expect(fs.existsSync(path.join(path.dirname(sqliteFile), "api-limits.sqlite"))).toBe(true);
  });
});
