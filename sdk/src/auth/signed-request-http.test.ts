// The contract with an HTTP server, over a real loopback socket: the server hashes the raw body bytes and
// verifies against the path and query exactly as received.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueApiToken, verifyApiToken } from "./api-token.js";
import { MemoryNonceStore } from "./nonce-store.js";
import { API_AUDIENCE, API_RESOURCE, APP_DOMAIN, walletSession } from "@openchart/testkit/session";
import { signRequest } from "./sign-request.js";
import { signedFetch } from "./signed-fetch.js";
import { verifySignedRequest } from "./verify-request.js";

const secret = crypto.getRandomValues(new Uint8Array(32));
const nonceStore = new MemoryNonceStore();
let server: Server;
let base: string;

async function rawBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await rawBody(req);
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    const now = Date.now();
    const result = bearer !== undefined
      ? verifyApiToken(bearer, { secret, audience: API_AUDIENCE, now })
      : await verifySignedRequest(
          { method: req.method!, path: req.url!, body, headers: req.headers },
          { domain: APP_DOMAIN, audience: API_AUDIENCE, resourcesRequired: [API_RESOURCE], now, nonceStore },
        );
    res.setHeader("content-type", "application/json");
    if (!result.ok) {
      res.statusCode = 401;
      res.end(JSON.stringify({ code: result.code }));
    } else if (req.url === "/auth/token" && bearer === undefined) {
      res.end(JSON.stringify({ did: result.did, ...issueApiToken(result, { secret, audience: API_AUDIENCE, now, ttlSeconds: 60 }) }));
    } else {
      res.end(JSON.stringify({ did: result.did, echo: new TextDecoder().decode(body) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("a session-signed request over HTTP", () => {
  it("is accepted once, refused when replayed or altered on the way, and can be swapped for an API token", async () => {
    const { session } = await walletSession();
    const did = session.id.toLowerCase();
    const body = JSON.stringify({ grant: "0x05", ttl: 5 });
    const path = "/consents/relay?dryRun=1";
    const headers = { ...(await signRequest(session, { method: "POST", path, body }, { audience: API_AUDIENCE })), "content-type": "application/json" };

    const first = await fetch(`${base}${path}`, { method: "POST", headers, body });
    expect(await first.json()).toEqual({ did, echo: body });
    for (const sent of [body, new TextEncoder().encode(body)]) {
      const viaHelper = await signedFetch(session, `${base}${path}`, { method: "POST", body: sent, headers: { "content-type": "application/json" } }, { audience: API_AUDIENCE });
      expect(await viaHelper.json()).toEqual({ did, echo: body });
    }
    const unhashable = { body: new Blob([body]) as unknown as string };
    await expect(signedFetch(session, `${base}${path}`, unhashable, { audience: API_AUDIENCE })).rejects.toThrow(/string or Uint8Array/);
    const replay = await fetch(`${base}${path}`, { method: "POST", headers, body });
    expect([replay.status, await replay.json()]).toEqual([401, { code: "REPLAYED_NONCE" }]);

    const fresh = await signRequest(session, { method: "POST", path, body }, { audience: API_AUDIENCE });
    const altered = await fetch(`${base}${path}`, { method: "POST", headers: fresh, body: body.replace("0x05", "0x50") });
    expect([altered.status, await altered.json()]).toEqual([401, { code: "BODY_MISMATCH" }]);

    const exchange = await fetch(`${base}/auth/token`, { method: "POST", headers: await signRequest(session, { method: "POST", path: "/auth/token" }, { audience: API_AUDIENCE }) });
    const { token } = (await exchange.json()) as { token: string };
    for (let i = 0; i < 2; i++) {
      const withToken = await fetch(`${base}/records`, { headers: { authorization: `Bearer ${token}` } });
      expect(await withToken.json()).toEqual({ did, echo: "" });
    }
  });
});
