// POST/GET/DELETE /pins through the API as it runs (a child process on a real chain and SQLite), with
// the operator's pinning service played by the loopback Pinning Service API server: the API does not
// know the difference. Killed with SIGKILL while the service is down, it pins once both are back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedFetch, type RemotePin } from "@openchart/sdk";
import { startPinningService, type LoopbackPinningService } from "@openchart/testkit/pinning-service";
import { startApi, startTestStack, type ApiProcess, type TestStack } from "../../test/stack.js";
import { API_AUDIENCE, SIGN_IN_ENV, readReply, signedInUser, type Reply, type User } from "../../test/signed-client.js";
import { startInProcessApi } from "../../test/in-process-api.js";

const TOKEN = "operator-pinning-token-0123456789abcdef";
let service: LoopbackPinningService;
let stack: TestStack;
let restarted: ApiProcess | undefined;
let apiUrl: string;
let alice: User;
let bob: User;

const cid = (n: number) => `bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyk${String.fromCharCode(97 + n)}`;

beforeAll(async () => {
  service = await startPinningService({ token: TOKEN, readsToPin: 2 });
  stack = await startTestStack({
    ...SIGN_IN_ENV,
    PIN_SERVICE_URL: service.url,
    PIN_SERVICE_TOKEN: TOKEN,
    PIN_POLL_MS: "20",
    PIN_STATUS_POLL_MS: "100",
    PIN_RETRY_BASE_MS: "100",
    // The service stays down for as long as the killed API takes to start again (seconds on a loaded
    // machine): short, capped retries that never run out, so the pin is neither 'failed' nor backed off
    // past the wait once the service is back. A SIGKILL in the middle of a step leaves the row leased
    // for 4 x PIN_TIMEOUT_MS + 5 s (65 s by default): a short timeout keeps that within the wait.
    PIN_RETRY_MAX_MS: "400",
    PIN_MAX_ATTEMPTS: "100",
    PIN_TIMEOUT_MS: "1000",
    PIN_REQUESTS_PER_DID_PER_DAY: "3",
  });
  apiUrl = stack.api.url;
  alice = await signedInUser(apiUrl);
  bob = await signedInUser(apiUrl);
});

afterAll(async () => {
  await restarted?.stop();
  await stack?.stop();
  await service?.close();
});

const remove = async (who: User, pinned: string): Promise<Reply<RemotePin>> =>
  readReply<RemotePin>(await signedFetch(who.session, `${apiUrl}/pins/${pinned}`, { method: "DELETE" }, { audience: API_AUDIENCE }));

async function until<T>(what: () => string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    // Polled at 10 per second: the per-DID rate limit counts these too.
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stateIs(who: User, pinned: string, wanted: (reply: Reply<RemotePin>) => boolean, timeoutMs?: number): Promise<Reply<RemotePin>> {
  let last: Reply<RemotePin> | undefined;
  return until(
    () => `pin state of ${pinned} (last answer ${JSON.stringify(last)}):\n${(restarted ?? stack.api).output()}`,
    async () => {
      last = await who.get<RemotePin>(`/pins/${pinned}`);
      return wanted(last) ? last : undefined;
    },
    timeoutMs,
  );
}

describe("remote pinning through the API", () => {
  it("pins the caller's ciphertext CID at the service, and shows that caller alone where it stands", async () => {
    const asked = await alice.post<RemotePin>("/pins", { cid: cid(0) });
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ cid: cid(0), status: "queued", attempts: 0 });
    await stateIs(alice, cid(0), (r) => r.body.status === "pinned");

    // Another caller never asked for it: not theirs to see, nor in their list.
    expect(await bob.get(`/pins/${cid(0)}`)).toMatchObject({ status: 404, body: { code: "PIN_UNKNOWN" } });
    expect(await bob.get("/pins")).toMatchObject({ status: 200, body: { service: true, pins: [] } });
    expect((await alice.get<{ pins: RemotePin[] }>("/pins")).body.pins).toEqual([expect.objectContaining({ cid: cid(0), status: "pinned" })]);
    // What the service learned: the CID, a random name, the token; nothing naming the caller.
    const posted = service.received.filter((r) => r.method === "POST" && r.path === "/pins");
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body).toEqual({ cid: cid(0), name: expect.stringMatching(/^[0-9a-f]{32}$/), origins: [] });
    const seen = JSON.stringify(service.received).toLowerCase();
    expect(seen).not.toContain(alice.did.toLowerCase());
    expect(seen).not.toContain(alice.wallet.address.toLowerCase().slice(2));
    expect(service.received.every((r) => r.authorized)).toBe(true);
  });

  it("refuses unsigned callers, CIDs it does not take, and any field beside the CID", async () => {
    const unsigned = await fetch(`${apiUrl}/pins`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ cid: cid(1) }) });
    expect(unsigned.status).toBe(401);
    expect((await alice.post("/pins", { cid: "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG" })).status).toBe(400);
    expect((await alice.post("/pins", { cid: cid(1), name: "Blood test, March" })).status).toBe(400);
    expect((await alice.get("/pins/not-a-cid")).status).toBe(400);
  });

  it("counts new requests per caller per day (429 with Retry-After), not a request asked again", async () => {
    const carol = await signedInUser(apiUrl);
    for (const n of [2, 3, 4]) expect((await carol.post("/pins", { cid: cid(n) })).status).toBe(202);
    expect((await carol.post("/pins", { cid: cid(3) })).status).toBe(202);
    const refused = await signedFetch(carol.session, `${apiUrl}/pins`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ cid: cid(5) }) }, { audience: API_AUDIENCE });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await readReply<{ code: string }>(refused)).body.code).toBe("PIN_QUOTA_EXCEEDED");
    // The refused CID is not pinned at the service.
    expect(service.pins().some((p) => p.pin.cid === cid(5))).toBe(false);
  });

  it("unpins on DELETE: 'unpinning', then gone at the service and at the API", async () => {
    await stateIs(alice, cid(0), (r) => r.body.status === "pinned");
    const removed = await remove(alice, cid(0));
    expect(removed).toMatchObject({ status: 202, body: { status: "unpinning" } });
    await stateIs(alice, cid(0), (r) => r.status === 404);
    expect(service.pins().some((p) => p.pin.cid === cid(0))).toBe(false);
    expect((await remove(bob, cid(0))).status).toBe(404);
  });

  it("keeps a request across a SIGKILL while the service is down, and pins it once both are back", async () => {
    service.down();
    expect((await bob.post("/pins", { cid: cid(6) })).status).toBe(202);
    const retrying = await stateIs(bob, cid(6), (r) => r.body.attempts >= 1);
    expect(retrying.body).toMatchObject({ status: "queued", reason: expect.stringMatching(/answered 503/) });
    await stack.api.kill();
    // Same port: the signed-in users' clients keep calling the address they know.
    restarted = await startApi(stack.env, Number(new URL(apiUrl).port));
    service.up();
    // Within the lease a SIGKILL mid-step may leave (9 s here), and a loaded machine's slow rounds.
    await stateIs(bob, cid(6), (r) => r.body.status === "pinned", 40_000);
    expect(service.pins().filter((p) => p.pin.cid === cid(6))).toHaveLength(1);
  });
});

describe("remote pinning off (the default)", () => {
  it("answers 'off' and stores nothing", async () => {
    const api = await startInProcessApi({ ...SIGN_IN_ENV });
    try {
      const dave = await signedInUser(api.url);
      const asked = await dave.post<RemotePin>("/pins", { cid: cid(7) });
      expect(asked).toMatchObject({ status: 200, body: { cid: cid(7), status: "off", nextAttemptAt: null } });
      expect((await dave.get<RemotePin>(`/pins/${cid(7)}`)).body.status).toBe("off");
      expect((await dave.get("/pins")).body).toEqual({ service: false, pins: [] });
      expect(await api.store.pins.get(dave.did, cid(7))).toBeNull();
    } finally {
      await api.stop();
    }
  });
});
