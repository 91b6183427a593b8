import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.js";
import { newBatcherState } from "../anchoring/batcher.js";
import { loadConfig } from "../config.js";
import { openStore } from "../store/open-store.js";
import { tempDir } from "../../test/stack.js";

const data = tempDir("openchart-health-");
afterAll(() => data.remove());

describe("/healthz", () => {
  it("reports each configured dependency, degraded while the database works, down when it does not", async () => {
    // Port 9 (discard) is closed on loopback: every remote dependency is unreachable.
    const config = loadConfig({
      OPENCHART_DATA_DIR: data.dir,
      OPENCHART_RPC_URL: "http://127.0.0.1:9",
      OPENCHART_CERAMIC_URL: "http://127.0.0.1:9",
      OPENCHART_IPFS_URL: "http://127.0.0.1:9",
      API_LOG_LEVEL: "silent",
    });
    const store = await openStore(`sqlite:${path.join(data.dir, "api.sqlite")}`);
    const app = await buildApp({ config, store, chain: { chainId: 31337, contract: `0x${"1".repeat(40)}` }, batcher: newBatcherState() });
    const degraded = await app.inject({ method: "GET", url: "/healthz" });
    expect(degraded.statusCode).toBe(200);
    expect(degraded.json()).toMatchObject({
      status: "degraded",
      checks: {
        database: { ok: true },
        chain: { ok: false, detail: expect.stringMatching(/127\.0\.0\.1:9 unreachable/) },
        ceramic: { ok: false, detail: expect.stringMatching(/node\/healthcheck unreachable/) },
        ipfs: { ok: false, detail: expect.stringMatching(/api\/v0\/id unreachable/) },
      },
      queue: { waiting: 0, oldestWaitingMs: null },
    });
    await store.close();
    const down = await app.inject({ method: "GET", url: "/healthz" });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: "down", checks: { database: { ok: false } } });
    await app.close();
  });
});
