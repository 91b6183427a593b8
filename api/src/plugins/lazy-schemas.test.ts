import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_ACCOUNTS } from "@openchart/testkit/chain";
import { startInProcessApi, type InProcessApi } from "../../test/in-process-api.js";
import { ConsentRelay } from "../consents/relay.js";
import { ConsentReader } from "../consults/consent-reader.js";
import { lazySchemas, type LazySchemas } from "./lazy-schemas.js";

// No chain answers here: the relay and the consent reader are built (so their routes and schemas are), never called.
const NO_CHAIN = "http://127.0.0.1:9";
const CONSENTS = { chainId: 31337, contract: `0x${"c".repeat(40)}` };

let api: InProcessApi;
let schemas: LazySchemas;
let relay: ConsentRelay | undefined;

beforeAll(async () => {
  schemas = lazySchemas();
  // Every optional feature, for the whole route table.
  api = await startInProcessApi({}, {
    licensing: true,
    deps: (store) => {
      relay = new ConsentRelay(NO_CHAIN, DEV_ACCOUNTS[2].key, CONSENTS, store, 20);
      return { schemas, relay, consents: new ConsentReader(NO_CHAIN, CONSENTS, 2_000) };
    },
  });
});

afterAll(async () => {
  relay?.destroy();
  await api?.stop();
});

describe("route schemas compiled on first use", () => {
  it("compiles nothing at start-up; a route's first request compiles its validator, and its refusal still names the bad field", async () => {
    const before = schemas.pending();
    // Every feature's routes (anchoring, consents, consults, licenses, keys, ...): well over a hundred parts.
    expect(before).toBeGreaterThan(100);
    const answer = await fetch(`${api.url}/anchors`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ leaves: "not a list" }) });
    expect(answer.status).toBe(400);
    expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(await answer.json())).toMatch(/leaves/);
    expect(schemas.pending()).toBeLessThan(before);
  });

  it("compiles every schema of every route of the whole app without error, each once", () => {
    const waiting = schemas.pending();
    expect(schemas.compileAll()).toBe(waiting);
    expect(schemas.pending()).toBe(0);
    expect(schemas.compileAll()).toBe(0);
  });

  it("surfaces a broken schema when it is compiled, naming it", async () => {
    const own = lazySchemas();
    const app = Fastify({ schemaController: { compilersFactory: own.compilersFactory } });
    app.post("/broken", { schema: { body: { type: "object", properties: { n: { type: "nonsense" } } } } }, async () => ({}));
    await app.ready();
    expect(() => own.compileAll()).toThrow(/nonsense|type/);
    await app.close();
  });

  it("refuses a header declared in mixed case when the route is added (Fastify lower-cases only for its own compilers)", async () => {
    const own = lazySchemas();
    const app = Fastify({ schemaController: { compilersFactory: own.compilersFactory } });
    app.post("/h", { schema: { headers: { type: "object", properties: { "Idempotency-Key": { type: "string" } } } } }, async () => ({}));
    await expect(app.ready()).rejects.toThrow(/POST \/h: header "Idempotency-Key" must be declared in lower case/);
  });
});
