import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MemoryNonceStore } from "../auth/nonce-store.js";
import { verifySignedRequest } from "../auth/verify-request.js";
import { privateKeyProvider } from "../streams/key-provider.js";
import { signInWithEthereum } from "../streams/session.js";
import type { VaultContext } from "./context.js";
import { movePin, pinStates, submitPin, syncPin } from "./pinning.js";

// The vault asks the API's pinning routes with the user's did-session; a loopback server plays the API.
const AUDIENCE = "https://api.pinning.test";
const DOMAIN = "pinning.test";
const CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyka";
const OLD_CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvykb";
let received: { method: string; path: string; headers: IncomingHttpHeaders; body: string }[] = [];
/** Status the loopback API answers GET /pins/:cid with. */
let getStatus = 200;
/** What the loopback API answers GET /pins with. */
let list: unknown = { service: true, pins: [] };
let server: ReturnType<typeof createServer>;
let url: string;
let context: VaultContext;

const pin = (cid: string, status = "queued") => ({ cid, status, attempts: 0, nextAttemptAt: 1, reason: null, updatedAt: 1 });

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push({ method: request.method!, path: request.url!, headers: request.headers, body });
      const json = (status: number, payload: unknown) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
      if (request.method === "POST") return json(202, pin(JSON.parse(body).cid));
      if (request.method === "GET" && request.url === "/pins") return json(200, list);
      if (request.method === "DELETE") return json(202, pin(request.url!.split("/").at(-1)!, "unpinning"));
      if (getStatus === 404) return json(404, { type: "x", title: "x", status: 404, code: "PIN_UNKNOWN", detail: "never asked" });
      json(200, pin(request.url!.split("/").at(-1)!, "pinned"));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { did } = await signInWithEthereum(privateKeyProvider(`0x${"22".repeat(32)}`, 31337), { appName: DOMAIN, resources: [AUDIENCE] });
  context = { anchorServiceUrl: url, anchorSigner: { session: { did, cacao: did.capability }, audience: AUDIENCE } } as unknown as VaultContext;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  getStatus = 200;
});

describe("remote pinning from the vault", () => {
  it("sends the ciphertext's CID and nothing else, signed with the user's did-session", async () => {
    expect(await submitPin(context, { cid: CID })).toMatchObject({ cid: CID, status: "queued" });
    const [sent] = received;
    expect(sent).toMatchObject({ method: "POST", path: "/pins" });
    expect(JSON.parse(sent!.body)).toEqual({ cid: CID });
    const verdict = await verifySignedRequest(
      { headers: sent!.headers, method: sent!.method, path: sent!.path, body: sent!.body },
      { domain: DOMAIN, audience: AUDIENCE, resourcesRequired: [AUDIENCE], now: Date.now(), nonceStore: new MemoryNonceStore() },
    );
    expect(verdict).toMatchObject({ ok: true });
  });

  it("reads the pin's state, and asks again when the API never heard of it", async () => {
    expect(await syncPin(context, { cid: CID })).toMatchObject({ status: "pinned" });
    getStatus = 404;
    expect(await syncPin(context, { cid: CID })).toMatchObject({ status: "queued" });
    expect(received.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /pins/${CID}`, `GET /pins/${CID}`, "POST /pins"]);
  });

  it("reads a whole list's pins in one call, asking again only for a CID the API never heard of", async () => {
    list = { service: true, pins: [pin(OLD_CID, "pinned")] };
    const states = await pinStates(context, [{ id: "r1", cid: OLD_CID }, { id: "r2", cid: CID }]);
    expect(states).toMatchObject({ r1: { status: "pinned" }, r2: { cid: CID, status: "queued" } });
    expect(received.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /pins", "POST /pins"]);
    received = [];
    list = { service: false, pins: [] };
    expect(await pinStates(context, [{ id: "r1", cid: OLD_CID }])).toMatchObject({ r1: { status: "off" } });
    expect(received).toHaveLength(1);
  });

  it("after a key rotation pins the new ciphertext and drops the old one", async () => {
    expect(await movePin(context, OLD_CID, { cid: CID })).toMatchObject({ cid: CID, status: "queued" });
    expect(received.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /pins", `DELETE /pins/${OLD_CID}`]);
  });

  it("reports, without sending, a vault with no API or no session", async () => {
    expect(await submitPin({} as VaultContext, { cid: CID })).toEqual({ status: "unavailable", reason: "no OpenChart API is configured" });
    expect(await syncPin({ anchorServiceUrl: url } as VaultContext, { cid: CID })).toMatchObject({ status: "unavailable", reason: expect.stringMatching(/signed-in session/) });
    expect(received).toEqual([]);
  });
});
