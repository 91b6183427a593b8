import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { STEALTH_HEADERS_PATH, type StealthHeaderPage } from "../api/stealth-headers.js";
import { connectCeramic } from "./compose-store.js";
import { runtimeDefinition } from "./definition.generated.js";
import { didFromSeed } from "./session.js";
import { headersFromCollection, headersFromRoute } from "./stealth-header-pages.js";

const PAYLOAD = "bafkreib5x3fbwp4gunwqu5b3krwr5v6v3ifbblvh3ayqw4jwn3fzhurtae";

/** Every header of a model from one source, `first` at a time. */
async function all(read: (after: string | null) => Promise<StealthHeaderPage | undefined>): Promise<StealthHeaderPage["headers"]> {
  const headers: StealthHeaderPage["headers"] = [];
  for (let after: string | null = null; ; ) {
    const page = await read(after);
    if (!page) throw new Error("no page");
    headers.push(...page.headers);
    if (!page.more) return headers;
    after = page.cursor;
  }
}

/** Two readings in the node's order: other tests may write in between, which only adds at the end. */
function expectSamePrefix(a: StealthHeaderPage["headers"], b: StealthHeaderPage["headers"]): void {
  const n = Math.min(a.length, b.length);
  expect(a.slice(0, n)).toEqual(b.slice(0, n));
}

/**
 * A stock Ceramic node, as far as the sdk can tell: the real local node behind a loopback proxy that does not
 * know the OpenChart route (404, as Ceramic answers any path it lacks).
 */
async function withoutRoute(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === STEALTH_HEADERS_PATH) {
        res.writeHead(404, { "content-type": "text/html" }).end(`Cannot POST ${STEALTH_HEADERS_PATH}`);
        return;
      }
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks);
      fetch(`${target}${req.url}`, { method: req.method, headers: { "content-type": req.headers["content-type"] ?? "application/json" }, body }).then(
        async (answer) => res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" }).end(Buffer.from(await answer.arrayBuffer())),
        () => res.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("stealth header pages (real node)", () => {
  const url = inject("ceramicUrl");
  const grantModel = runtimeDefinition.models.SealedGrantV2!.id;
  const written: string[] = [];

  beforeAll(async () => {
    const store = connectCeramic(url);
    store.setDID(await didFromSeed(randomBytes(32)));
    for (let i = 0; i < 5; i++) {
      const content = { ephemeralKey: randomBytes(32).toString("base64url"), viewTag: randomBytes(1).toString("hex"), payload: PAYLOAD };
      written.push((await store.create("SealedGrantV2", content)).id);
    }
  });

  it("reads the same headers in the same order from the node's route as from Ceramic's collection API, and nothing else", async () => {
    const fromRoute = await all((after) => headersFromRoute(url, grantModel, after, 2));
    const fromCollection = await all((after) => headersFromCollection(url, grantModel, after, 2));
    expectSamePrefix(fromRoute, fromCollection);
    expect(fromRoute.map((h) => h.id)).toEqual(expect.arrayContaining(written));
    expect(fromCollection.map((h) => h.id)).toEqual(expect.arrayContaining(written));
    // No controller, no payload: only what a recipient tests.
    for (const header of fromRoute) expect(Object.keys(header).sort()).toEqual(["ephemeralKey", "id", "viewTag"]);
  });

  it("resumes from a cursor: only what was indexed after it", async () => {
    const first = await all((after) => headersFromRoute(url, grantModel, after, 1000));
    const end = (await headersFromRoute(url, grantModel, null, first.length))!;
    expect(end.more).toBe(false);
    const store = connectCeramic(url);
    store.setDID(await didFromSeed(randomBytes(32)));
    const later = await store.create("SealedGrantV2", { ephemeralKey: randomBytes(32).toString("base64url"), viewTag: "00", payload: PAYLOAD });
    const next = (await headersFromRoute(url, grantModel, end.cursor, 1000))!.headers.map((h) => h.id);
    expect(next).toContain(later.id);
    for (const { id } of first) expect(next).not.toContain(id);
  });

  it("serves stealth models only, and refuses malformed requests and cursors", async () => {
    expect(await headersFromRoute(url, runtimeDefinition.models.SealedRecord!.id, null, 10)).toBeUndefined();
    await expect(headersFromRoute(url, grantModel, "not-a-cursor", 10)).rejects.toMatchObject({ code: "REMOTE_ERROR" });
    for (const body of [{ model: grantModel, first: 10_001 }, { model: grantModel, first: 0 }, { model: grantModel, extra: 1 }, { first: 10 }, []]) {
      const response = await fetch(`${url}${STEALTH_HEADERS_PATH}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });

  describe("on a Ceramic node without the route", () => {
    let proxy: Awaited<ReturnType<typeof withoutRoute>>;
    beforeAll(async () => {
      proxy = await withoutRoute(url);
    });
    afterAll(async () => {
      await proxy?.close();
    });

    it("the store pages the collection API instead, and starts over on a cursor of the other source", async () => {
      const stock = connectCeramic(proxy.url);
      const own = connectCeramic(url);
      const pageOfRoute = await own.listStealthHeaders("SealedGrantV2", null, 2);
      expect(pageOfRoute.cursor).toMatch(/^route:/);
      const fromStock = await all((after) => stock.listStealthHeaders("SealedGrantV2", after, 2));
      expectSamePrefix(fromStock, await all((after) => own.listStealthHeaders("SealedGrantV2", after, 2)));
      const restarted = await stock.listStealthHeaders("SealedGrantV2", pageOfRoute.cursor, 2);
      expect(restarted.cursor).toMatch(/^collection:/);
      expect(restarted.headers).toEqual(fromStock.slice(0, 2));
    });
  });
});
