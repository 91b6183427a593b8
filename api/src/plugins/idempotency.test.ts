import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitmentOf, newSalt, signRequest, type SigningSession } from "@openchart/sdk";
import { walletSession } from "@openchart/testkit/session";
import { buildApp } from "../app.js";
import { newBatcherState } from "../anchoring/batcher.js";
import { loadConfig } from "../config.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { apiError } from "../errors.js";
import { canonicalJson } from "./idempotency.js";
import { tempDir } from "../../test/stack.js";
import { API_AUDIENCE, SIGN_IN_ENV } from "../../test/signed-client.js";

const data = tempDir("openchart-idempotency-");
const databaseUrl = `sqlite:${path.join(data.dir, "api.sqlite")}`;
let store: Store;
let app: FastifyInstance;
let runs = 0;

/** The API as main.ts builds it, plus one creating route whose runs are counted, that can be slow or fail. */
async function start(): Promise<void> {
  store = await openStore(databaseUrl);
  app = await buildApp({
    config: loadConfig({ OPENCHART_DATA_DIR: data.dir, OPENCHART_RPC_URL: "http://127.0.0.1:9", API_LOG_LEVEL: "silent", ...SIGN_IN_ENV }),
    store,
    chain: { chainId: 31337, contract: `0x${"1".repeat(40)}` },
    batcher: newBatcherState(),
  });
  app.post<{ Body: { name: string; fail?: boolean; slowMs?: number } }>(
    "/test/things",
    {
      config: { idempotent: true },
      schema: { body: { type: "object", required: ["name"], properties: { name: { type: "string" }, fail: { type: "boolean" }, slowMs: { type: "integer" } } } },
    },
    async (request, reply) => {
      runs++;
      if (request.body.slowMs) await new Promise((r) => setTimeout(r, request.body.slowMs));
      if (request.body.fail) throw apiError("CHAIN_REJECTED", "refused this time");
      return reply.code(201).send({ id: runs, name: request.body.name });
    },
  );
}

async function stop(): Promise<void> {
  await app.close();
  await store.close();
}

beforeAll(start);
afterAll(async () => {
  await stop();
  data.remove();
});

const create = (body: unknown, key?: string, remoteAddress = "127.0.0.1") =>
  app.inject({ method: "POST", url: "/test/things", remoteAddress, headers: key === undefined ? {} : { "idempotency-key": key }, payload: body as object });

describe("Idempotency-Key on creating POSTs", () => {
  it("runs a request once and replays its answer, whatever the key order of the retried body", async () => {
    const first = await create({ name: "a", slowMs: 1 }, "key-1");
    expect(first.statusCode).toBe(201);
    expect(first.headers["idempotent-replayed"]).toBeUndefined();
    const before = runs;
    const retry = await create({ slowMs: 1, name: "a" }, "key-1");
    expect(retry.statusCode).toBe(201);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.json()).toEqual(first.json());
    expect(runs).toBe(before);
    // Without a key every request runs.
    await create({ name: "a" });
    await create({ name: "a" });
    expect(runs).toBe(before + 2);
  });

  it("refuses the same key for another request (409 IDEMPOTENCY_KEY_REUSED), but not from another sender", async () => {
    expect((await create({ name: "b" }, "key-2")).statusCode).toBe(201);
    const reused = await create({ name: "c" }, "key-2");
    expect(reused.statusCode).toBe(409);
    expect(reused.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(reused.json()).toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED" });
    const elsewhere = await create({ name: "c" }, "key-2", "10.1.2.3");
    expect(elsewhere.statusCode).toBe(201);
    expect(elsewhere.headers["idempotent-replayed"]).toBeUndefined();
  });

  it("answers a retry that arrives while the first is running with 409 IDEMPOTENCY_KEY_IN_USE", async () => {
    const [a, b] = await Promise.all([create({ name: "d", slowMs: 300 }, "key-3"), new Promise((r) => setTimeout(r, 50)).then(() => create({ name: "d", slowMs: 300 }, "key-3"))]);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(409);
    expect(b.json()).toMatchObject({ code: "IDEMPOTENCY_KEY_IN_USE" });
    expect(b.headers["retry-after"]).toBe("1");
    expect((await create({ name: "d", slowMs: 300 }, "key-3")).headers["idempotent-replayed"]).toBe("true");
  });

  it("does not keep a failed answer: the retry runs again", async () => {
    const before = runs;
    expect((await create({ name: "e", fail: true }, "key-4")).statusCode).toBe(409);
    expect((await create({ name: "e", fail: true }, "key-4")).json()).toMatchObject({ code: "CHAIN_REJECTED" });
    expect(runs).toBe(before + 2);
  });

  it("refuses a key that is not 1 to 200 printable ASCII characters", async () => {
    for (const key of ["", "a b", "x".repeat(201), "clé"]) {
      const response = await app.inject({ method: "POST", url: "/test/things", headers: { "idempotency-key": key }, payload: { name: "f" } });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: "INVALID_REQUEST", detail: expect.stringMatching(/idempotency-key/) });
    }
  });

  it("replays POST /anchors for the same leaves in any order or case, flagged as replayed, across a restart", async () => {
    const [a, b, c] = [commitmentOf(newSalt(), newSalt()), commitmentOf(newSalt(), newSalt()), commitmentOf(newSalt(), newSalt())];
    // POST /anchors takes signed submissions only: each call is signed afresh (a signature's nonce is single use).
    const session: SigningSession = (await walletSession()).session;
    const anchor = async (leaves: string[], key: string) => {
      const payload = JSON.stringify({ leaves });
      const signed = await signRequest(session, { method: "POST", path: "/anchors", body: payload }, { audience: API_AUDIENCE });
      return app.inject({ method: "POST", url: "/anchors", headers: { ...signed, "content-type": "application/json", "idempotency-key": key }, payload });
    };
    const first = await anchor([a, b], "anchor-1");
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({ replayed: false });
    await stop();
    await start();
    const retry = await anchor([b.toUpperCase().replace("0X", "0x"), a], "anchor-1");
    expect(retry.statusCode).toBe(202);
    expect(retry.json()).toEqual({ ...first.json(), replayed: true });
    expect((await anchor([a, c], "anchor-1")).json()).toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED" });
    expect((await app.inject({ method: "GET", url: `/anchors/${c}` })).statusCode).toBe(404);
    // The same key on another route is another key.
    expect((await create({ name: "g" }, "anchor-1")).statusCode).toBe(201);
  });

  it("documents the header on every route that honours it", async () => {
    const spec = (await app.inject({ method: "GET", url: "/docs/json" })).json() as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
    expect(spec.paths["/anchors"]!.post!.parameters).toContainEqual(expect.objectContaining({ name: "idempotency-key", in: "header" }));
  });

  it("digests requests canonically", () => {
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[1,{"c":2,"d":1}]}');
  });
});
