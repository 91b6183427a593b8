// PUT/GET /keys/wrapped against the real API (in-process, real SQLite store, real did-sessions signed by
// wallets as in the web app): the blob is kept for its own DID only, and a phished signature opens nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  newMasterKey,
  newWalletKeyParams,
  parseWrappedMaster,
  signedFetch,
  unwrapMaster,
  walletKeyMessage,
  walletKeyOf,
  wrapMaster,
  type SigningSession,
  type WrappedMaster,
} from "@openchart/sdk";
import { API_AUDIENCE, APP_DOMAIN, walletSession, type TestWallet } from "@openchart/testkit/session";
import { startInProcessApi, type InProcessApi } from "../../test/in-process-api.js";

const ORIGIN = `https://${APP_DOMAIN}`;
let api: InProcessApi;

beforeAll(async () => {
  api = await startInProcessApi({ API_AUTH_DOMAINS: APP_DOMAIN, API_AUTH_AUDIENCE: API_AUDIENCE });
});
afterAll(async () => {
  await api?.stop();
});

interface User {
  session: SigningSession;
  wallet: TestWallet;
  did: string;
}

async function user(): Promise<User> {
  const { session, wallet } = await walletSession();
  return { session, wallet, did: session.did.parent };
}

const call = (who: User, method: "GET" | "PUT", body?: unknown) =>
  signedFetch(
    who.session,
    `${api.url}/keys/wrapped`,
    { method, ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }) },
    { audience: API_AUDIENCE },
  );

async function walletCopy(who: User, origin = ORIGIN): Promise<{ copy: WrappedMaster; master: ReturnType<typeof newMasterKey> }> {
  const params = newWalletKeyParams(31337);
  const request = { ...params, origin, address: who.wallet.address };
  const key = await walletKeyOf(await who.wallet.signMessage(walletKeyMessage(request)), request);
  const master = newMasterKey();
  return { master, copy: await wrapMaster(master, key, { kind: "wallet", did: who.did, wallet: params }) };
}

const entries = async (did: string) =>
  (await api.store.audit.entries({ subject: did, limit: 100 })).filter((e) => e.action.startsWith("keys.")).map((e) => ({ action: e.action, decision: e.decision }));

describe("PUT/GET /keys/wrapped", () => {
  it("keeps the caller's blob for a new device of the same wallet, which opens it with a fresh signature", async () => {
    const alice = await user();
    const { copy, master } = await walletCopy(alice);
    expect((await call(alice, "PUT", { blob: JSON.stringify(copy) })).status).toBe(204);

    // A new device: a new session of the same wallet, then the wallet-key signature.
    const newDevice: User = { wallet: alice.wallet, session: (await walletSession({ wallet: alice.wallet })).session, did: alice.did };
    const response = await call(newDevice, "GET");
    expect(response.status).toBe(200);
    const stored = parseWrappedMaster(((await response.json()) as { blob: string }).blob);
    const request = { ...stored.wallet!, origin: ORIGIN, address: alice.wallet.address };
    const key = await walletKeyOf(await alice.wallet.signMessage(walletKeyMessage(request)), request);
    expect(await unwrapMaster(stored, key, alice.did)).toEqual(master);
    expect(await entries(alice.did)).toEqual([
      { action: "keys.wrapped.put", decision: "accepted" },
      { action: "keys.wrapped.get", decision: "allowed" },
    ]);
  });

  it("a different DID's session gets 404 for another's blob, and cannot overwrite it", async () => {
    const alice = await user();
    const mallory = await user();
    const { copy } = await walletCopy(alice);
    expect((await call(alice, "PUT", { blob: JSON.stringify(copy) })).status).toBe(204);

    const read = await call(mallory, "GET");
    expect(read.status).toBe(404);
    expect(await read.json()).toMatchObject({ code: "WRAPPED_KEY_UNKNOWN" });

    // Filing Alice's blob (or one naming Alice) from Mallory's session is refused, and changes nothing.
    const write = await call(mallory, "PUT", { blob: JSON.stringify(copy) });
    expect(write.status).toBe(403);
    expect(await write.json()).toMatchObject({ code: "FORBIDDEN", detail: expect.stringMatching(/another account/) });
    expect((await call(mallory, "GET")).status).toBe(404);
    const stillAlice = (await (await call(alice, "GET")).json()) as { blob: string };
    expect(stillAlice.blob).toBe(JSON.stringify(copy));
    expect(await entries(mallory.did)).toEqual([
      { action: "keys.wrapped.get", decision: "refused" },
      { action: "keys.wrapped.put", decision: "refused" },
      { action: "keys.wrapped.get", decision: "refused" },
    ]);
  });

  it("a signature another origin obtained, even with the blob, opens nothing", async () => {
    const alice = await user();
    const { copy } = await walletCopy(alice);
    await call(alice, "PUT", { blob: JSON.stringify(copy) });
    const stored = parseWrappedMaster(((await (await call(alice, "GET")).json()) as { blob: string }).blob);
    const phishing = { ...stored.wallet!, origin: "https://openchart-app.example", address: alice.wallet.address };
    const phishedKey = await walletKeyOf(await alice.wallet.signMessage(walletKeyMessage(phishing)), phishing);
    await expect(unwrapMaster(stored, phishedKey, alice.did)).rejects.toMatchObject({ code: "WRONG_KEY" });
  });

  it("lets the web app's origin send the PUT (CORS preflight)", async () => {
    const preflight = await fetch(`${api.url}/keys/wrapped`, {
      method: "OPTIONS",
      headers: { origin: "http://127.0.0.1:5173", "access-control-request-method": "PUT", "access-control-request-headers": "content-type,authorization" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("PUT");
  });

  it("refuses unsigned callers, malformed blobs and device copies, storing nothing", async () => {
    const bob = await user();
    expect((await fetch(`${api.url}/keys/wrapped`)).status).toBe(401);
    const bad = await call(bob, "PUT", { blob: "{}" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "INVALID_REQUEST", detail: expect.stringMatching(/not a wrapped master key/) });
    const { copy } = await walletCopy(bob);
    const device = { ...copy, kind: "device" } as Partial<WrappedMaster>;
    delete device.wallet;
    const refused = await call(bob, "PUT", { blob: JSON.stringify(device) });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ detail: expect.stringMatching(/a device.s copy goes to PUT \/keys\/devices/) });
    expect((await call(bob, "PUT", { blob: "x".repeat(3000) })).status).toBe(400);
    expect((await call(bob, "GET")).status).toBe(404);
  });
});
