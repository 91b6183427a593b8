import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBatch, commitmentOf, newSalt } from "@openchart/sdk";
import { buildApp } from "../app.js";
import { newBatcherState } from "../anchoring/batcher.js";
import { loadConfig } from "../config.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { tempDir } from "../../test/stack.js";
import { ApiMetrics } from "./api-metrics.js";

const data = tempDir("openchart-metrics-");
const TOKEN = "metrics-token-0123456789";
const DID = "did:pkh:eip155:31337:0x00000000000000000000000000000000000000d1";
let store: Store;
let app: FastifyInstance;
const leadership = { leader: true };

beforeAll(async () => {
  store = await openStore(`sqlite:${path.join(data.dir, "api.sqlite")}`);
  app = await buildApp({
    config: loadConfig({ OPENCHART_DATA_DIR: data.dir, OPENCHART_RPC_URL: "http://127.0.0.1:9", API_LOG_LEVEL: "silent", API_METRICS_TOKEN: TOKEN }),
    store,
    chain: { chainId: 31337, contract: `0x${"1".repeat(40)}` },
    batcher: newBatcherState(),
    leadership,
  });
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  data.remove();
});

const scrape = async (authorization?: string) =>
  app.inject({ method: "GET", url: "/metrics", headers: authorization === undefined ? {} : { authorization } });

/** The value of one sample line, e.g. `openchart_anchor_queue_depth 3`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("GET /metrics", () => {
  it("answers only the configured bearer token, and is closed when none is configured", async () => {
    expect((await scrape()).statusCode).toBe(401);
    expect((await scrape("Bearer wrong-token-0123456789")).json()).toMatchObject({ status: 403, code: "FORBIDDEN" });
    const closedDir = tempDir("openchart-metrics-closed-");
    const closedStore = await openStore(`sqlite:${path.join(closedDir.dir, "api.sqlite")}`);
    const closed = await buildApp({
      config: loadConfig({ OPENCHART_DATA_DIR: closedDir.dir, OPENCHART_RPC_URL: "http://127.0.0.1:9", API_LOG_LEVEL: "silent" }),
      store: closedStore,
      chain: { chainId: 31337, contract: `0x${"1".repeat(40)}` },
      batcher: newBatcherState(),
    });
    try {
      const refused = await closed.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${TOKEN}` } });
      expect(refused.json()).toMatchObject({ status: 403, detail: expect.stringMatching(/API_METRICS_TOKEN is not configured/) });
    } finally {
      await closed.close();
      await closedStore.close();
      closedDir.remove();
    }
    expect(() => loadConfig({ API_METRICS_TOKEN: "short" })).toThrow(/API_METRICS_TOKEN must be at least 16 characters/);
  });

  it("counts requests by route pattern and status, with the queue, lag, gas and leadership, and names no caller", async () => {
    const leaf = commitmentOf(newSalt(), newSalt());
    await app.inject({ method: "GET", url: "/healthz" });
    await app.inject({ method: "GET", url: `/anchors/${leaf}` });
    await app.inject({ method: "GET", url: `/doctors/${DID}` });
    await app.inject({ method: "GET", url: `/audit?subject=${encodeURIComponent(DID)}` });
    await store.leaves.accept({ leaves: [commitmentOf(newSalt(), newSalt())], subject: DID, audit: { subject: DID, action: "anchor.submit", decision: "accepted", refs: {} }, now: Date.now() - 5_000 });

    const answer = await scrape(`Bearer ${TOKEN}`);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = answer.body;
    expect(sample(text, 'openchart_http_requests_total{method="GET",route="/healthz",status="200"}')).toBe(1);
    expect(sample(text, 'openchart_http_requests_total{method="GET",route="/anchors/:leaf",status="404"}')).toBe(1);
    // No license routes in this app: a path that matches no route is counted as such, not by its path.
    expect(sample(text, 'openchart_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(sample(text, 'openchart_http_requests_total{method="GET",route="/audit",status="401"}')).toBe(1);
    expect(text).toMatch(/openchart_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/healthz"\} 1/);
    expect(sample(text, "openchart_anchor_queue_depth")).toBe(1);
    expect(sample(text, "openchart_anchor_lag_seconds")).toBeGreaterThanOrEqual(5);
    expect(sample(text, "openchart_anchor_gas_budget_per_day")).toBe(20_000_000);
    expect(sample(text, "openchart_batcher_leader")).toBe(1);
    // Paths and queries name leaves and DIDs; the metrics name neither.
    expect(text).not.toContain(leaf.slice(2, 20));
    expect(text.toLowerCase()).not.toContain("0x00000000000000000000000000000000000000d1");
    expect(text).not.toMatch(/did:|subject/);
    leadership.leader = false;
    expect(sample((await scrape(`Bearer ${TOKEN}`)).body, "openchart_batcher_leader")).toBe(0);
  });

  it("gives every answer a request id of its own", async () => {
    const ids = await Promise.all([1, 2, 3].map(async () => (await app.inject({ method: "GET", url: "/nowhere" })).headers["x-request-id"]));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(3);
  });
});

describe("the batcher's metrics", () => {
  it("observe each batch it builds and the gas of each it confirms", async () => {
    const metrics = new ApiMetrics({ store, leadership: undefined, gasBudgetPerDay: 1 });
    const batches = metrics.instrument(store.batches);
    while (await store.batches.open()) await store.batches.confirm((await store.batches.open())!.id, { txHash: `0x${"0".repeat(64)}`, blockNumber: 1, anchoredAt: 1, gasUsed: 1 }, { subject: "service", action: "anchor.batch", decision: "confirmed", refs: {} }, 1);
    await store.leaves.accept({ leaves: [commitmentOf(newSalt(), newSalt()), commitmentOf(newSalt(), newSalt())], subject: DID, audit: { subject: DID, action: "anchor.submit", decision: "accepted", refs: {} }, now: Date.now() });
    const built = (await batches.create({ maxLeaves: 100, now: Date.now(), build: buildBatch }))!;
    await batches.confirm(built.id, { txHash: `0x${"ab".repeat(32)}`, blockNumber: 2, anchoredAt: 2, gasUsed: 51_234 }, { subject: "service", action: "anchor.batch", decision: "confirmed", refs: {} }, Date.now());
    const text = await metrics.registry.metrics();
    expect(sample(text, "openchart_anchor_batch_leaves_count")).toBe(1);
    expect(sample(text, "openchart_anchor_batch_leaves_sum")).toBe(built.leafCount);
    expect(sample(text, "openchart_anchor_batches_confirmed_total")).toBe(1);
    expect(sample(text, "openchart_anchor_gas_used_total")).toBe(51_234);
    expect(sample(text, "openchart_anchor_gas_last_day")).toBeGreaterThanOrEqual(51_234);
  });
});
