// The pinner against a real loopback Pinning Service API server (testkit) and the real stores
// (SQLite and a throw-away PostgreSQL), driven round by round with explicit clock values.
import path from "node:path";
import type { FastifyBaseLogger } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startPinningService, type LoopbackPinningService } from "@openchart/testkit/pinning-service";
import { createDatabase, startPostgres, type PostgresServer } from "@openchart/testkit/postgres";
import { tempDir } from "../../test/stack.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { Pinner, type PinnerOptions } from "./pinner.js";
import { pinningServiceClient, type RemotePinning } from "./service-client.js";

const TOKEN = "loopback-pinning-token-0123456789";
const ORIGIN = "/ip4/198.51.100.7/tcp/4001/p2p/12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf";
const OPTIONS: PinnerOptions = { origins: [ORIGIN], maxAttempts: 3, retryBaseMs: 1_000, retryMaxMs: 8_000, statusPollMs: 500, pollMs: 10, timeoutMs: 2_000 };
const DAY = 86_400_000;
const DID = "did:pkh:eip155:31337:0x1111111111111111111111111111111111111111";

let service: LoopbackPinningService;
let postgres: PostgresServer;
const sqliteDir = tempDir("openchart-pinner-");
let databases = 0;
const logged: string[] = [];
const log = {
  level: "info",
  info: (_fields: unknown, message: string) => void logged.push(message),
  warn: (_fields: unknown, message: string) => void logged.push(message),
  error: () => undefined,
  debug: () => undefined,
  trace: () => undefined,
  fatal: () => undefined,
  silent: () => undefined,
  child: () => log,
} as unknown as FastifyBaseLogger;

beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres?.stop();
  sqliteDir.remove();
});
beforeEach(async () => {
  await service?.close();
  service = await startPinningService({ token: TOKEN, readsToPin: 2 });
  logged.length = 0;
});

const engines: [string, () => Promise<Store>][] = [
  ["SQLite", () => openStore(`sqlite:${path.join(sqliteDir.dir, `pins-${++databases}.sqlite`)}`)],
  ["PostgreSQL", async () => openStore(await createDatabase(postgres.url, `pins_${++databases}`))],
];

let cids = 0;
const newCid = () => `bafkrei${String(++cids).padStart(4, "0")}${"a".repeat(48)}`;
const ask = (store: Store, cid: string, now: number, subject = DID) =>
  store.pins.request({ subject, cid, audit: { subject, action: "pin.request", decision: "accepted", refs: {} }, now, quota: { max: 1_000, windowMs: DAY } });
const client = (overrides: Partial<RemotePinning> = {}): RemotePinning => ({ ...pinningServiceClient({ url: service.url, token: TOKEN }, OPTIONS.timeoutMs), ...overrides });
const posts = () => service.received.filter((r) => r.method === "POST");

describe.each(engines)("the pinner on %s", (_engine, open) => {
  it("pins a CID: posts only the CID, a random name and the origins, polls until pinned, then leaves it", async () => {
    const store = await open();
    try {
      const cid = newCid();
      await ask(store, cid, 1_000);
      const pinner = new Pinner(store.pins, client(), OPTIONS, log);
      expect(await pinner.round(1_000)).toBe(1);
      const [post] = posts();
      expect(post).toMatchObject({ path: "/pins", authorized: true });
      expect(Object.keys(post!.body as object).sort()).toEqual(["cid", "name", "origins"]);
      expect(post!.body).toMatchObject({ cid, origins: [ORIGIN], name: expect.stringMatching(/^[0-9a-f]{32}$/) });
      expect(await store.pins.get(DID, cid)).toMatchObject({ status: "queued", requestId: service.pins()[0]!.requestid, submitting: false, nextAttemptAt: 1_500 });

      expect(await pinner.round(1_200)).toBe(0); // not due before the status poll
      await pinner.round(1_500);
      expect((await store.pins.get(DID, cid))!.status).toBe("pinning");
      await pinner.round(2_000);
      expect(await store.pins.get(DID, cid)).toMatchObject({ status: "pinned", nextAttemptAt: null, attempts: 0, reason: null });
      expect(await pinner.round(1_000_000)).toBe(0);
      expect(service.pins()).toHaveLength(1);
      expect(service.received.every((r) => r.authorized)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("retries errors (503, then 429) with a doubling backoff, then pins, and never twice", async () => {
    const store = await open();
    try {
      const cid = newCid();
      await ask(store, cid, 0);
      service.failNext(1, { status: 503 });
      service.failNext(1, { status: 429 });
      const pinner = new Pinner(store.pins, client(), OPTIONS, log);
      await pinner.round(0);
      const first = (await store.pins.get(DID, cid))!;
      expect(first).toMatchObject({ status: "queued", attempts: 1, submitting: true, reason: expect.stringMatching(/answered 503/) });
      expect(first.nextAttemptAt).toBeGreaterThanOrEqual(1_000);
      expect(first.nextAttemptAt).toBeLessThanOrEqual(1_250);
      await pinner.round(first.nextAttemptAt!);
      const second = (await store.pins.get(DID, cid))!;
      expect(second).toMatchObject({ attempts: 2, reason: expect.stringMatching(/answered 429/) });
      expect(second.nextAttemptAt! - first.nextAttemptAt!).toBeGreaterThanOrEqual(2_000);
      // The failed POST might have landed: each later round first looks for it by its name, then posts.
      await pinner.round(second.nextAttemptAt!);
      expect((await store.pins.get(DID, cid))!.requestId).not.toBeNull();
      expect(service.pins()).toHaveLength(1);
      expect(service.received.filter((r) => r.method === "GET" && r.path === "/pins")[0]?.query).toMatchObject({ cid, status: "queued,pinning,pinned,failed" });
    } finally {
      await store.close();
    }
  });

  it("gives up after PIN_MAX_ATTEMPTS failures, and pins once the caller asks again", async () => {
    const store = await open();
    try {
      const cid = newCid();
      await ask(store, cid, 0);
      service.down();
      const pinner = new Pinner(store.pins, client(), OPTIONS, log);
      let now = 0;
      for (let i = 0; i < OPTIONS.maxAttempts; i++) {
        await pinner.round(now);
        now = (await store.pins.get(DID, cid))!.nextAttemptAt ?? now;
      }
      expect(await store.pins.get(DID, cid)).toMatchObject({ status: "failed", attempts: 3, nextAttemptAt: null, reason: expect.stringMatching(/answered 503/) });
      expect(await pinner.round(now + DAY)).toBe(0);
      service.up();
      expect((await ask(store, cid, now + 1)) as object).toMatchObject({ accepted: true, pin: { status: "queued", attempts: 0, nextAttemptAt: now + 1 } });
      await pinner.round(now + 1);
      await pinner.round(now + 1 + 500);
      await pinner.round(now + 1 + 1_000);
      expect((await store.pins.get(DID, cid))!.status).toBe("pinned");
    } finally {
      await store.close();
    }
  });

  it("fails at once when the service refuses the pin object (400)", async () => {
    const store = await open();
    try {
      const cid = newCid();
      await ask(store, cid, 0);
      service.failNext(1, { status: 400, reason: "BAD_REQUEST" });
      await new Pinner(store.pins, client(), OPTIONS, log).round(0);
      expect(await store.pins.get(DID, cid)).toMatchObject({ status: "failed", attempts: 1, reason: expect.stringMatching(/400 BAD_REQUEST/) });
    } finally {
      await store.close();
    }
  });

  it("replaces a request the service reports failed (POST /pins/{requestid}), counting it, until it gives up", async () => {
    const store = await open();
    try {
      const cid = newCid();
      service.failCid(cid);
      await ask(store, cid, 0);
      const pinner = new Pinner(store.pins, client(), OPTIONS, log);
      let now = 0;
      for (let i = 0; i < 12 && (await store.pins.get(DID, cid))!.status !== "failed"; i++) {
        await pinner.round(now);
        now = (await store.pins.get(DID, cid))!.nextAttemptAt ?? now;
      }
      expect(await store.pins.get(DID, cid)).toMatchObject({ status: "failed", attempts: 3, reason: "the pinning service reported the pin failed" });
      const replaced = service.received.filter((r) => r.method === "POST" && r.path.startsWith("/pins/"));
      expect(replaced).toHaveLength(2);
      // Each replacement dropped the request it replaced: one pin object is left, failed.
      expect(service.pins().map((p) => p.status)).toEqual(["failed"]);
    } finally {
      await store.close();
    }
  });

  it("after a crash between a POST landing and its answer being stored, adopts that request instead of pinning twice", async () => {
    const store = await open();
    try {
      const cid = newCid();
      await ask(store, cid, 0);
      // The process dies right after the service accepted the POST: the answer is never stored.
      const real = client();
      const dying = new Pinner(store.pins, client({ add: async (pin) => (await real.add(pin), Promise.reject(new Error("killed"))) }), OPTIONS, log);
      await expect(dying.round(0)).rejects.toThrow("killed");
      expect(await store.pins.get(DID, cid)).toMatchObject({ submitting: true, requestId: null });
      expect(service.pins()).toHaveLength(1);

      const restarted = new Pinner(store.pins, client(), OPTIONS, log);
      expect(await restarted.round(1_000)).toBe(0); // the dead process's lease still holds
      const leaseEnd = OPTIONS.timeoutMs * 4 + 5_000;
      await restarted.round(leaseEnd);
      expect(await store.pins.get(DID, cid)).toMatchObject({ submitting: false, requestId: service.pins()[0]!.requestid });
      expect(logged).toContain("adopted the remote pin request a crash left unrecorded");
      expect(posts()).toHaveLength(1);
      expect(service.pins()).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it("unpins (DELETE /pins/{requestid}) and forgets the request, retrying while the service is down", async () => {
    const store = await open();
    try {
      const cid = newCid();
      await ask(store, cid, 0);
      const pinner = new Pinner(store.pins, client(), OPTIONS, log);
      for (const now of [0, 500, 1_000]) await pinner.round(now);
      expect((await store.pins.get(DID, cid))!.status).toBe("pinned");
      const audit = { subject: DID, action: "pin.unpin" as const, decision: "accepted" as const, refs: {} };
      expect(await store.pins.unpin(DID, cid, audit, 2_000)).toMatchObject({ wanted: "unpin" });
      service.down();
      await pinner.round(2_000);
      const waiting = (await store.pins.get(DID, cid))!;
      expect(waiting).toMatchObject({ wanted: "unpin", attempts: 1 });
      service.up();
      await pinner.round(waiting.nextAttemptAt!);
      expect(await store.pins.get(DID, cid)).toBeNull();
      expect(service.pins()).toEqual([]);
      expect(service.received.filter((r) => r.method === "DELETE")).toHaveLength(2);
    } finally {
      await store.close();
    }
  });
});

describe("two pinners on one PostgreSQL", () => {
  it("share the work under leases: every CID is posted exactly once", async () => {
    const url = await createDatabase(postgres.url, `pins_shared_${++databases}`);
    const [one, two] = [await openStore(url), await openStore(url)];
    try {
      const mine = Array.from({ length: 40 }, newCid);
      for (const cid of mine) await ask(one, cid, 0);
      const pinners = [new Pinner(one.pins, client(), OPTIONS, log), new Pinner(two.pins, client(), OPTIONS, log)];
      for (let round = 0; round < 6; round++) await Promise.all(pinners.map((p) => p.round(0)));
      const posted = posts().map((r) => (r.body as { cid: string }).cid);
      expect(posted.sort()).toEqual([...mine].sort());
    } finally {
      await one.close();
      await two.close();
    }
  });
});
