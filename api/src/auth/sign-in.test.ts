import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Wallet } from "ethers";
import { signedFetch, signRequest } from "@openchart/sdk";
// Test-only: the test kit's real did-session fixture (an ethers wallet signs the SIWE CACAO, as in the web app).
import { API_AUDIENCE, APP_DOMAIN, walletSession } from "@openchart/testkit/session";
import { startApi, startTestStack, type ApiProcess, type TestStack } from "../../test/stack.js";

let stack: TestStack;
let api: ApiProcess;
const issuerWallet = Wallet.createRandom();
const issuerDid = `did:pkh:eip155:31337:${issuerWallet.address.toLowerCase()}`;

beforeAll(async () => {
  stack = await startTestStack({
    API_AUTH_DOMAINS: APP_DOMAIN,
    API_AUTH_AUDIENCE: API_AUDIENCE,
    API_ISSUER_DIDS: issuerDid,
    API_ADMIN_DIDS: issuerDid,
  });
  ({ api } = stack);
});

afterAll(async () => {
  await stack?.stop();
});

const auditUrl = (subject: string) => `${api.url}/audit?subject=${encodeURIComponent(subject)}`;

describe("one-signature sign-in: the did-session signs API requests", () => {
  it("lets a patient read the audit entries about themselves, and no one else's", async () => {
    const { session } = await walletSession();
    const own = await signedFetch(session, auditUrl(session.id), { method: "GET" }, { audience: API_AUDIENCE });
    expect(own.status).toBe(200);
    const again = await signedFetch(session, auditUrl(session.id), { method: "GET" }, { audience: API_AUDIENCE });
    const { entries } = (await again.json()) as { entries: { action: string; decision: string; refs: { by?: string } }[] };
    expect(entries).toContainEqual(expect.objectContaining({ action: "audit.read", decision: "allowed", refs: expect.objectContaining({ by: session.id }) }));

    const other = await signedFetch(session, auditUrl("did:pkh:eip155:31337:0x0000000000000000000000000000000000000001"), { method: "GET" }, { audience: API_AUDIENCE });
    expect(other.status).toBe(403);
    expect(other.headers.get("content-type")).toMatch(/application\/problem\+json/);
  });

  it("refuses a replayed request, a session signed for another site, and no signature at all", async () => {
    const { session } = await walletSession();
    const path = `/audit?subject=${encodeURIComponent(session.id)}`;
    const headers = await signRequest(session, { method: "GET", path }, { audience: API_AUDIENCE });
    expect((await fetch(`${api.url}${path}`, { headers })).status).toBe(200);
    const replayed = await fetch(`${api.url}${path}`, { headers });
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as { detail: string }).detail).toMatch(/^REPLAYED_NONCE/);

    const { session: phished } = await walletSession({ domain: "evil.example" });
    const foreign = await signedFetch(phished, auditUrl(phished.id), { method: "GET" }, { audience: API_AUDIENCE });
    expect(foreign.status).toBe(401);
    expect(((await foreign.json()) as { detail: string }).detail).toMatch(/^WRONG_DOMAIN/);

    expect((await fetch(auditUrl(session.id))).status).toBe(401);
  });
});

describe("sign-in binding (security round 2, item 5)", () => {
  const detailOf = async (response: Response) => ((await response.json()) as { detail: string }).detail;
  const me = (session: Awaited<ReturnType<typeof walletSession>>["session"]) =>
    signedFetch(session, `${api.url}/auth/me`, { method: "GET" }, { audience: API_AUDIENCE });

  it("refuses a session whose resources do not name this API", async () => {
    const { session } = await walletSession({ resources: ["ceramic://*"] });
    const response = await me(session);
    expect(response.status).toBe(401);
    expect(await detailOf(response)).toMatch(/^MISSING_RESOURCE.*api\.openchart\.test/);
  });

  it("refuses a session that lasts a century, and one a day past API_SESSION_MAX_DAYS", async () => {
    for (const days of [36_500, 8]) {
      const { session } = await walletSession({ expiresInSecs: days * 86_400 });
      const response = await me(session);
      expect(response.status).toBe(401);
      expect(await detailOf(response)).toMatch(/^SESSION_TOO_LONG/);
    }
    const { session } = await walletSession({ expiresInSecs: 7 * 86_400 - 60 });
    expect((await me(session)).status).toBe(200);
  });

  it("refuses a session signed for the web app's bare host or another port of it", async () => {
    for (const domain of ["app.openchart.test:8443", "127.0.0.1", "localhost"]) {
      const { session } = await walletSession({ domain });
      const response = await me(session);
      expect(response.status).toBe(401);
      expect(await detailOf(response)).toMatch(/^WRONG_DOMAIN/);
    }
  });
});

describe("signed POST bodies and API tokens", () => {
  it("accepts a signed POST and hands out a token that signs in later requests", async () => {
    const { session } = await walletSession();
    const issued = await signedFetch(session, `${api.url}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }, { audience: API_AUDIENCE });
    expect(issued.status).toBe(200);
    const { token, did, roles } = (await issued.json()) as { token: string; did: string; roles: string[] };
    expect(did).toBe(session.id.toLowerCase());
    expect(roles).toEqual(["patient"]);
    const me = await fetch(`${api.url}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toEqual({ did, roles: ["patient"] });
    const forged = await fetch(`${api.url}/auth/me`, { headers: { authorization: `Bearer ${token.slice(0, -2)}AA` } });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { detail: string }).detail).toMatch(/^BAD_TOKEN/);
  });

  it("refuses a signed POST whose body was changed on the way, even by a byte the JSON parser ignores", async () => {
    const { session } = await walletSession();
    const headers = await signRequest(session, { method: "POST", path: "/auth/token", body: "{}" }, { audience: API_AUDIENCE });
    const tampered = await fetch(`${api.url}/auth/token`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: "{ }" });
    expect(tampered.status).toBe(401);
    expect(((await tampered.json()) as { detail: string }).detail).toMatch(/BODY/);
  });

  it("gives configured issuer and admin DIDs their roles", async () => {
    const { session } = await walletSession({ wallet: issuerWallet });
    const me = await signedFetch(session, `${api.url}/auth/me`, { method: "GET" }, { audience: API_AUDIENCE });
    expect(((await me.json()) as { roles: string[] }).roles.sort()).toEqual(["admin", "issuer", "patient"]);
    // The administrator reads the audit entries about another subject; a patient is refused that (first test).
    const other = await signedFetch(session, auditUrl("did:pkh:eip155:31337:0x0000000000000000000000000000000000000001"), { method: "GET" }, { audience: API_AUDIENCE });
    expect(other.status).toBe(200);
  });

  it("refuses /auth/me without a signature", async () => {
    const anonymous = await fetch(`${api.url}/auth/me`);
    expect(anonymous.status).toBe(401);
  });
});

describe("the API's files (security round 2, item 9)", () => {
  it("keeps its data folder, database and the agent's keys owner-only", async () => {
    expect(fs.statSync(stack.dataDir).mode & 0o777).toBe(0o700);
    const entries = fs.readdirSync(stack.dataDir, { recursive: true, withFileTypes: true });
    expect(entries.map((e) => e.name)).toEqual(expect.arrayContaining(["api.sqlite"]));
    const loose = entries
      .map((e) => path.join(e.parentPath, e.name))
      .filter((file) => (fs.lstatSync(file).mode & 0o077) !== 0)
      .map((file) => `${path.relative(stack.dataDir, file)} ${(fs.lstatSync(file).mode & 0o777).toString(8)}`);
    expect(loose).toEqual([]);
  });
});

describe("used nonces survive a restart", () => {
  it("refuses a signed request replayed against the restarted API (same database)", async () => {
    const { session } = await walletSession();
    const path = `/audit?subject=${encodeURIComponent(session.id)}`;
    const headers = await signRequest(session, { method: "GET", path }, { audience: API_AUDIENCE });
    expect((await fetch(`${api.url}${path}`, { headers })).status).toBe(200);
    // SIGKILL: nothing is flushed at shutdown; the claim was committed before the answer.
    await api.kill();
    const restarted = await startApi(stack.env);
    try {
      const replayed = await fetch(`${restarted.url}${path}`, { headers });
      expect(replayed.status).toBe(401);
      expect(((await replayed.json()) as { detail: string }).detail).toMatch(/^REPLAYED_NONCE/);
      // A fresh signature of the same session is still accepted.
      const fresh = await signedFetch(session, `${restarted.url}${path}`, { method: "GET" }, { audience: API_AUDIENCE });
      expect(fresh.status).toBe(200);
    } finally {
      await restarted.stop();
    }
  });
});
