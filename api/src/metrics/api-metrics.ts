import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { BatchStore, Store } from "../store/store.js";

/** What the gauges read at each scrape: the shared store, this replica's batcher leadership, the gas budget. */
export interface MetricSources {
  store: Pick<Store, "leaves" | "batches">;
  leadership: { readonly leader: boolean } | undefined;
  gasBudgetPerDay: number;
}

const DAY_MS = 86_400_000;

/**
 * The API's Prometheus metrics. No label names a caller, a DID, an address or a record: routes are
 * labelled by their pattern (`/anchors/:leaf`, never the leaf), and everything else is a count or a
 * time. Counters and histograms are this process's (Prometheus sums the replicas); the gauges that
 * read the database (queue depth, anchoring lag, gas of the last day) show the whole deployment, the
 * same from every replica.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "openchart_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [this.registry],
  });
  readonly requestSeconds = new Histogram({
    name: "openchart_http_request_duration_seconds",
    help: "Time to answer an HTTP request, by method and route pattern",
    labelNames: ["method", "route"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly batchLeaves = new Histogram({
    name: "openchart_anchor_batch_leaves",
    help: "Leaves per anchoring batch built by this replica (the audit head included)",
    buckets: [1, 2, 5, 10, 25, 50, 100, 256, 512, 1024, 4096, 10_000],
    registers: [this.registry],
  });
  readonly batchesConfirmed = new Counter({ name: "openchart_anchor_batches_confirmed_total", help: "Anchoring batches this replica confirmed on chain", registers: [this.registry] });
  readonly gasUsed = new Counter({ name: "openchart_anchor_gas_used_total", help: "Gas used by the anchoring batches this replica confirmed", registers: [this.registry] });

  constructor(sources: MetricSources, options: { processMetrics?: boolean } = {}) {
    const { store, leadership, gasBudgetPerDay } = sources;
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: "openchart_api_" });
    new Gauge({
      name: "openchart_anchor_queue_depth",
      help: "Leaves waiting for a batch (the whole deployment)",
      registers: [this.registry],
      async collect() {
        this.set((await store.leaves.pendingStats()).count);
      },
    });
    new Gauge({
      name: "openchart_anchor_lag_seconds",
      help: "Age of the oldest leaf not yet anchored: the oldest waiting leaf, or the oldest unconfirmed batch since it was built; 0 when none",
      registers: [this.registry],
      async collect() {
        const [pending, open] = await Promise.all([store.leaves.pendingStats(), store.batches.open()]);
        const oldest = Math.min(pending.oldestSubmittedAt ?? Infinity, open?.createdAt ?? Infinity);
        this.set(Number.isFinite(oldest) ? Math.max(0, Date.now() - oldest) / 1000 : 0);
      },
    });
    new Gauge({
      name: "openchart_anchor_gas_last_day",
      help: "Gas used by the confirmed batches built in the last 24 hours (the whole deployment; ANCHOR_GAS_BUDGET_PER_DAY bounds it)",
      registers: [this.registry],
      async collect() {
        this.set((await store.batches.gasSince(Date.now() - DAY_MS)).gas);
      },
    });
    new Gauge({ name: "openchart_anchor_gas_budget_per_day", help: "ANCHOR_GAS_BUDGET_PER_DAY", registers: [this.registry] }).set(gasBudgetPerDay);
    new Gauge({
      name: "openchart_batcher_leader",
      help: "1 on the replica that runs the batcher now (it holds the batcher's lease), else 0",
      registers: [this.registry],
      collect() {
        this.set(leadership?.leader ? 1 : 0);
      },
    });
  }

  /** The batch store as the batcher uses it, counting the batches it builds and the gas of those it confirms. */
  instrument(batches: BatchStore): BatchStore {
    return {
      ...batches,
      create: async (input) => {
        const batch = await batches.create(input);
        if (batch) this.batchLeaves.observe(batch.leafCount);
        return batch;
      },
      confirm: async (batchId, anchor, audit, now, fence) => {
        await batches.confirm(batchId, anchor, audit, now, fence);
        this.batchesConfirmed.inc();
        this.gasUsed.inc(anchor.gasUsed);
      },
    };
  }
}
