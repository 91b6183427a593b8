import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBatch, commitmentOf, newSalt } from "@openchart/sdk";
import { startPostgres, type PostgresServer as TestPostgres } from "@openchart/testkit/postgres";
import { openStore } from "../store/open-store.js";
import { LeaseLost } from "../store/leases.js";
import type { LeaseStore, Store } from "../store/store.js";
import { BATCHER_LEASE, BatcherLeadership, fencedBatches } from "./batcher-lease.js";

// Two replicas' leaderships on one PostgreSQL (two stores: two processes' connections). What runs under
// the lease here only records when it runs; replicas.test.ts runs the real batcher in real processes.
const TTL = 600;
const log = Fastify({ logger: false }).log;
let postgres: TestPostgres;
const stores: Store[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
});

afterAll(async () => {
  for (const store of stores) await store.close();
  await postgres?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records whether it runs, and fails the test if two run at once. */
function recorder(name: string, running: Set<string>, overlaps: string[]) {
  return {
    running: false,
    start() {
      if (running.size > 0) overlaps.push(`${name} started while ${[...running].join(", ")} ran`);
      running.add(name);
      this.running = true;
    },
    async stop() {
      running.delete(name);
      this.running = false;
    },
  };
}

async function until(condition: () => boolean, withinMs: number): Promise<number> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > withinMs) throw new Error(`not within ${withinMs} ms`);
    await sleep(10);
  }
  return Date.now() - start;
}

describe("the batcher's lease", () => {
  it("runs the batcher on one replica at a time, and hands it over at once on a clean stop", async () => {
    const [a, b] = [await openStore(postgres.url), await openStore(postgres.url)];
    stores.push(a, b);
    const running = new Set<string>();
    const overlaps: string[] = [];
    const runA = recorder("a", running, overlaps);
    const runB = recorder("b", running, overlaps);
    const leaderA = new BatcherLeadership(a.leases, TTL);
    const leaderB = new BatcherLeadership(b.leases, TTL);
    leaderA.start(runA, log);
    await until(() => runA.running, 2_000);
    leaderB.start(runB, log);
    await sleep(3 * TTL); // several renewals: b never gets it
    expect(runB.running).toBe(false);
    expect([leaderA.leader, leaderB.leader]).toEqual([true, false]);
    expect(await b.leases.holder(BATCHER_LEASE)).toBe(leaderA.holder);

    await leaderA.stop();
    expect(runA.running).toBe(false);
    expect(await until(() => runB.running, 2_000)).toBeLessThan(TTL); // released: no waiting for it to lapse
    await leaderB.stop();
    expect(overlaps).toEqual([]);
  });

  it("lets another replica take over from a holder that stopped renewing, whose writes are then refused", async () => {
    const [a, b] = [await openStore(postgres.url), await openStore(postgres.url)];
    stores.push(a, b);
    const running = new Set<string>();
    const overlaps: string[] = [];
    // A's process "freezes": its renewals hang, as in a stopped process or a long pause.
    let frozen = false;
    let thaw: () => void = () => undefined;
    const freezable: LeaseStore = {
      ...a.leases,
      acquire: async (...args) => {
        if (frozen) await new Promise<void>((resolve) => (thaw = resolve));
        return a.leases.acquire(...args);
      },
    };
    const runA = recorder("a", running, overlaps);
    const runB = recorder("b", new Set(), []);
    const leaderA = new BatcherLeadership(freezable, TTL);
    const leaderB = new BatcherLeadership(b.leases, TTL);
    leaderA.start(runA, log);
    await until(() => runA.running, 2_000);
    leaderB.start(runB, log);
    frozen = true;
    const frozenAt = Date.now();
    await until(() => runB.running, 3 * TTL);
    const takeoverMs = Date.now() - frozenAt;
    expect(takeoverMs).toBeLessThan(TTL + TTL / 5 + 500);
    expect(runA.running).toBe(true); // A does not know yet...

    // ...but what its batcher writes is refused, and nothing of it is stored.
    await a.leaves.accept({ leaves: [commitmentOf(newSalt(), newSalt())], subject: "did:example:x", audit: { subject: "did:example:x", action: "anchor.submit", decision: "accepted", refs: {} }, now: Date.now() });
    const openBefore = await a.batches.open();
    await expect(fencedBatches(a.batches, leaderA.fence).create({ maxLeaves: 10, now: Date.now(), build: buildBatch })).rejects.toBeInstanceOf(LeaseLost);
    expect(await a.batches.open()).toEqual(openBefore);
    const batch = (await fencedBatches(b.batches, leaderB.fence).create({ maxLeaves: 10, now: Date.now(), build: buildBatch }))!;
    expect(batch).not.toBeNull();

    // Nor can A advance B's batch: a re-signed transaction, where it is mined (or that a reorganization dropped it), its confirmation.
    const fencedA = fencedBatches(a.batches, leaderA.fence);
    const txHash = `0x${"ab".repeat(32)}` as const;
    const attempt = { batchId: batch.id, nonce: 0, txHash, rawTx: "0x02" as const, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n, sentAt: Date.now() };
    await expect(fencedA.addAttempt(attempt)).rejects.toBeInstanceOf(LeaseLost);
    await expect(fencedA.markMined(batch.id, { txHash, blockNumber: 5, confirmations: 1 })).rejects.toBeInstanceOf(LeaseLost);
    await expect(fencedA.markMined(batch.id, null)).rejects.toBeInstanceOf(LeaseLost);
    const audit = { subject: "service", action: "anchor.batch" as const, decision: "confirmed" as const, refs: { root: batch.root } };
    await expect(fencedA.confirm(batch.id, { txHash, blockNumber: 5, anchoredAt: 1, gasUsed: 21_000 }, audit, Date.now())).rejects.toBeInstanceOf(LeaseLost);
    expect(await a.batches.attempts(batch.id)).toEqual([]);
    expect(await a.batches.open()).toMatchObject({ id: batch.id, status: "built", mined: null });
    // The holder's own fenced writes go through.
    const fencedB = fencedBatches(b.batches, leaderB.fence);
    await fencedB.addAttempt(attempt);
    await fencedB.markMined(batch.id, { txHash, blockNumber: 5, confirmations: 1 });
    expect(await b.batches.open()).toMatchObject({ id: batch.id, status: "sent", mined: { txHash, blockNumber: 5, confirmations: 1 } });

    frozen = false;
    thaw(); // A's renewal goes through now, finds the lease B's, and stops A's batcher
    await until(() => !runA.running, 2_000);
    expect(leaderA.leader).toBe(false);
    expect(leaderB.leader).toBe(true);
    await Promise.all([leaderA.stop(), leaderB.stop()]);
  });
});
