import net from "node:net";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.js";
import { newBatcherState } from "../anchoring/batcher.js";
import { loadConfig } from "../config.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { tempDir } from "../../test/stack.js";

// In-process: these are properties of the HTTP layer, not of the chain (port 9 is closed: no chain needed).
const data = tempDir("openchart-hardening-");
let store: Store;
let app: FastifyInstance;

beforeAll(async () => {
  store = await openStore(`sqlite:${path.join(data.dir, "api.sqlite")}`);
  app = await buildApp({
    config: loadConfig({
      OPENCHART_DATA_DIR: data.dir,
      OPENCHART_RPC_URL: "http://127.0.0.1:9",
      API_LOG_LEVEL: "silent",
      API_CORS_ORIGINS: "https://app.openchart.test,http://localhost:5173",
      API_RATE_LIMIT_PER_MINUTE: "5",
      API_RATE_LIMIT_ALLOW: "10.9.9.9",
    }),
    store,
    chain: { chainId: 31337, contract: `0x${"1".repeat(40)}` },
    batcher: newBatcherState(),
  });
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  data.remove();
});

// Each test its own client address, so the low rate limit counts only that test's requests.
let clients = 0;
const client = () => `10.0.0.${++clients}`;

function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, code: string): void {
  expect(response.statusCode).toBe(status);
  expect(String(response.headers["content-type"])).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ status, code });
}

describe("hardening on every route", () => {
  it("sets security headers on API answers, errors included", async () => {
    const remoteAddress = client();
    for (const url of ["/anchors/0x" + "ab".repeat(32), "/nowhere", "/auth/me"]) {
      const response = await app.inject({ method: "GET", url, remoteAddress });
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
      expect(response.headers["content-security-policy"]).toMatch(/default-src 'self'/);
      expect(response.headers["strict-transport-security"]).toMatch(/max-age=/);
      expect(response.headers["x-frame-options"]).toBe("SAMEORIGIN");
    }
  });

  it("lets the documentation page run its own script files only, with no remote validator", async () => {
    const page = await app.inject({ method: "GET", url: "/docs", remoteAddress: client() });
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/unsafe-inline|validator\.swagger\.io|upgrade-insecure-requests/);
    expect(page.body).toContain("swagger-ui-bundle.js");
  });

  it("answers CORS preflights for configured origins with the sign-in headers, and no one else", async () => {
    const remoteAddress = client();
    const preflight = (origin: string) =>
      app.inject({
        method: "OPTIONS",
        url: "/consents/relay",
        remoteAddress,
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,x-openchart-cacao,content-type,idempotency-key" },
      });
    const allowed = await preflight("https://app.openchart.test");
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://app.openchart.test");
    expect(String(allowed.headers["access-control-allow-headers"]).split(/, ?/)).toEqual(["authorization", "x-openchart-cacao", "content-type", "idempotency-key"]);
    expect(allowed.headers["access-control-allow-credentials"]).toBeUndefined();
    const foreign = await preflight("https://evil.example");
    expect(foreign.headers["access-control-allow-origin"]).toBeUndefined();

    const simple = await app.inject({ method: "GET", url: "/auth/me", remoteAddress, headers: { origin: "http://localhost:5173" } });
    expect(simple.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
    expect(String(simple.headers["access-control-expose-headers"])).toMatch(/retry-after/);

    expectProblem(await app.inject({ method: "OPTIONS", url: "/anchors", remoteAddress }), 400, "INVALID_REQUEST");
  });

  it("limits requests per client address per minute with a coded 429, and exempts the configured addresses", async () => {
    const remoteAddress = client();
    for (let i = 0; i < 5; i++) expect((await app.inject({ method: "GET", url: "/auth/me", remoteAddress })).statusCode).toBe(401);
    const limited = await app.inject({ method: "GET", url: "/auth/me", remoteAddress });
    expectProblem(limited, 429, "RATE_LIMITED");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.headers["x-ratelimit-limit"]).toBe("5");
    expect((limited.json() as { detail: string }).detail).toMatch(/more than 5 requests per minute/);
    // Another client is not affected; an exempt one never counts.
    expect((await app.inject({ method: "GET", url: "/auth/me", remoteAddress: client() })).statusCode).toBe(401);
    for (let i = 0; i < 8; i++) expect((await app.inject({ method: "GET", url: "/auth/me", remoteAddress: "10.9.9.9" })).statusCode).toBe(401);
  });

  it("counts the client a trusted proxy names, and only a trusted proxy", async () => {
    const proxied = await buildApp({
      config: loadConfig({ OPENCHART_DATA_DIR: data.dir, OPENCHART_RPC_URL: "http://127.0.0.1:9", API_LOG_LEVEL: "silent", API_RATE_LIMIT_PER_MINUTE: "2", API_TRUST_PROXY: "127.0.0.1" }),
      store,
      chain: { chainId: 31337, contract: `0x${"1".repeat(40)}` },
      batcher: newBatcherState(),
    });
    try {
      const via = (remoteAddress: string, forwardedFor: string) =>
        proxied.inject({ method: "GET", url: "/auth/me", remoteAddress, headers: { "x-forwarded-for": forwardedFor } });
      expect((await via("127.0.0.1", "203.0.113.1")).statusCode).toBe(401);
      expect((await via("127.0.0.1", "203.0.113.1")).statusCode).toBe(401);
      expect((await via("127.0.0.1", "203.0.113.1")).statusCode).toBe(429);
      expect((await via("127.0.0.1", "203.0.113.2")).statusCode).toBe(401);
      // A client that is not the proxy cannot pick a fresh address per request.
      expect((await via("198.51.100.7", "1.1.1.1")).statusCode).toBe(401);
      expect((await via("198.51.100.7", "2.2.2.2")).statusCode).toBe(401);
      expect((await via("198.51.100.7", "3.3.3.3")).statusCode).toBe(429);
    } finally {
      await proxied.close();
    }
  });

  it("refuses query fields a route does not declare, and body fields it does not know", async () => {
    const remoteAddress = client();
    expectProblem(await app.inject({ method: "GET", url: "/healthz?verbose=1", remoteAddress }), 400, "INVALID_REQUEST");
    expectProblem(await app.inject({ method: "GET", url: "/audit?subject=did:pkh:x&limit=5&sort=desc", remoteAddress }), 400, "INVALID_REQUEST");
    const extra = await app.inject({ method: "POST", url: "/anchors", remoteAddress, payload: { leaves: [`0x${"ab".repeat(32)}`], note: "x" } });
    expectProblem(extra, 400, "INVALID_REQUEST");
    expect((extra.json() as { detail: string }).detail).toMatch(/additional properties/);
  });

  it("refuses bodies over the limit, not UTF-8, or of another media type, and malformed URLs, each as a problem", async () => {
    const remoteAddress = client();
    const big = JSON.stringify({ leaves: Array.from({ length: 2000 }, () => `0x${"ab".repeat(32)}`) });
    expectProblem(await app.inject({ method: "POST", url: "/anchors", remoteAddress, headers: { "content-type": "application/json" }, payload: big }), 413, "PAYLOAD_TOO_LARGE");
    expectProblem(await app.inject({ method: "POST", url: "/auth/token", remoteAddress, headers: { "content-type": "application/json" }, payload: `{"a":"${"x".repeat(70_000)}"}` }), 413, "PAYLOAD_TOO_LARGE");
    const notUtf8 = Buffer.concat([Buffer.from('{"leaves":["'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"]}')]);
    const badBytes = await app.inject({ method: "POST", url: "/anchors", remoteAddress, headers: { "content-type": "application/json" }, payload: notUtf8 });
    expectProblem(badBytes, 400, "INVALID_REQUEST");
    expect((badBytes.json() as { detail: string }).detail).toMatch(/UTF-8/);
    expectProblem(await app.inject({ method: "POST", url: "/anchors", remoteAddress, headers: { "content-type": "text/plain" }, payload: "leaves" }), 415, "UNSUPPORTED_MEDIA_TYPE");
    expectProblem(await app.inject({ method: "GET", url: "/anchors/%E0%A4%A", remoteAddress }), 400, "INVALID_REQUEST");
    expectProblem(await app.inject({ method: "GET", url: `/anchors/0x${"a".repeat(200)}`, remoteAddress }), 414, "URI_TOO_LONG");
  });

  it("answers a request Node cannot even parse with a problem document", async () => {
    await app.listen({ host: "127.0.0.1", port: 0 });
    const { port } = app.server.address() as net.AddressInfo;
    const raw = (bytes: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, "127.0.0.1", () => socket.end(bytes));
        let answer = "";
        socket.on("data", (chunk) => (answer += chunk.toString()));
        socket.on("close", () => resolve(answer));
        socket.on("error", reject);
      });
    const garbage = await raw("NOT HTTP AT ALL\r\n\r\n");
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(garbage.slice(garbage.indexOf("\r\n\r\n") + 4))).toMatchObject({ status: 400, code: "INVALID_REQUEST" });
    const hugeHeader = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(hugeHeader).toMatch(/^HTTP\/1\.1 431 /);
    expect(hugeHeader).toContain('"code":"HEADERS_TOO_LARGE"');
  });
});
