// Malformed requests for every route an OpenAPI document lists: the fuzz test's generator.

/** A deterministic PRNG (mulberry32): the same seed gives the same requests, so a failure can be replayed. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  string(length: number, alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~"): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
  hex(bytes: number): string {
    return `0x${this.string(bytes * 2, "0123456789abcdef")}`;
  }
}

export interface FuzzRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

interface JsonSchema {
  type?: string;
  pattern?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
}
interface Parameter {
  in: "path" | "query" | "header";
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: unknown[];
}
export interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
}

/** One route as the fuzzer sees it. */
export interface Route {
  method: string;
  /** Fastify-style path, `{leaf}` written as-is so it can be filled in. */
  template: string;
  params: Parameter[];
  query: Parameter[];
  headers: Parameter[];
  body: JsonSchema | undefined;
  takesBody: boolean;
  signed: boolean;
}

/** Every operation of the API's OpenAPI document (what the routes' schemas say), plus the documentation routes it hides. */
export function routesOf(spec: OpenApi): Route[] {
  const routes: Route[] = [];
  for (const [template, operations] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const parameters = op.parameters ?? [];
      routes.push({
        method: method.toUpperCase(),
        template,
        params: parameters.filter((p) => p.in === "path"),
        query: parameters.filter((p) => p.in === "query"),
        headers: parameters.filter((p) => p.in === "header"),
        body: op.requestBody?.content?.["application/json"]?.schema,
        takesBody: method === "post" || method === "put" || method === "patch",
        signed: (op.security ?? []).length > 0,
      });
    }
  }
  for (const template of ["/docs", "/docs/json", "/docs/yaml"]) {
    routes.push({ method: "GET", template, params: [], query: [], headers: [], body: undefined, takesBody: false, signed: false });
  }
  return routes;
}

const HUGE = 30_000;

/** Values that are wrong for any field: wrong types, bad hex, bad DIDs, huge and odd strings. */
function badValue(rng: Random): unknown {
  const pools: (() => unknown)[] = [
    () => rng.pick([0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, true, false, null]),
    () => rng.pick([[], [null], [[]], {}, { $gt: "" }, JSON.parse('{"__proto__":{"polluted":true}}') as unknown]),
    () => rng.pick(["", " ", "0x", "0X" + "ab".repeat(32), "0x" + "g".repeat(64), "ab".repeat(32), "0x" + "a".repeat(63), "0x" + "a".repeat(65)]),
    () => rng.hex(rng.pick([1, 19, 21, 31, 33])),
    () => rng.pick(["did:", "did:pkh:", "did:pkh:eip155:1:0xZZ", "DID:PKH:EIP155:1:0x00", "did:pkh:😀", "did:key:z" + "1".repeat(300), "did:example:" + "x".repeat(400)]),
    () => rng.string(HUGE),
    () => "é😀\u0000\u202e\ud800" + rng.string(8),
    () => rng.pick(["grant", "revoke", "steal", "user", "assistant", "system"]),
    () => String(rng.int(1e9)),
  ];
  return rng.pick(pools)();
}

/** Random JSON of any shape. */
function randomJson(rng: Random, depth = 0): unknown {
  const choice = rng.int(depth > 3 ? 3 : 5);
  if (choice === 0) return badValue(rng);
  if (choice === 1) return rng.string(rng.int(40));
  if (choice === 2) return rng.int(2) === 0 ? rng.next() * 1e6 : rng.int(2) === 0;
  if (choice === 3) return Array.from({ length: rng.int(5) }, () => randomJson(rng, depth + 1));
  return Object.fromEntries(Array.from({ length: rng.int(5) }, () => [rng.string(1 + rng.int(10)), randomJson(rng, depth + 1)]));
}

/** An object with the schema's field names, every value wrong, sometimes a required one missing or an unknown one added. */
function wrongShape(rng: Random, schema: JsonSchema): unknown {
  const variant = schema.anyOf ? rng.pick(schema.anyOf) : schema;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(variant.properties ?? {})) {
    if (rng.int(5) > 0) out[name] = badValue(rng);
  }
  if (rng.int(2) === 0) out[`unknown_${rng.string(4)}`] = randomJson(rng);
  return out;
}

/** A value the parameter's schema accepts, so that the case's one mutation is what makes the request wrong. */
function plausible(rng: Random, schema: JsonSchema | undefined): string {
  const pattern = schema?.pattern ?? "";
  if (pattern.includes("{64}")) return rng.hex(32);
  if (pattern.includes("{40}")) return rng.hex(20);
  if (pattern.startsWith("^did:")) return `did:pkh:eip155:31337:${rng.hex(20)}`;
  if (schema?.type === "integer" || schema?.type === "number") return String(1 + rng.int(50));
  return rng.string(8);
}

function fill(rng: Random, route: Route, values: Record<string, string> = {}): string {
  return route.template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? encodeURIComponent(plausible(rng, route.params.find((p) => p.name === name)?.schema)));
}

function queryString(entries: [string, string][]): string {
  // URLs carry UTF-8: a lone surrogate cannot be percent-encoded, so it goes as U+FFFD.
  const encode = (text: string) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, "\ufffd"));
  return entries.length === 0 ? "" : `?${entries.map(([k, v]) => `${encode(k)}=${encode(v)}`).join("&")}`;
}

const BAD_AUTHORIZATION = [
  "DIDSession", "DIDSession not-a-jws", "DIDSession a.b.c", "DIDSession eyJhbGciOiJFZERTQSJ9.e30.c2ln", "Bearer", "Bearer oct1.", "Bearer oct1.AAAA.BBBB",
  "Bearer not-a-token", "Basic dXNlcjpwYXNz", "didsession x.y.z", "Bearer " + "A".repeat(6000),
];

type Mutation = (rng: Random, route: Route) => FuzzRequest | undefined;

/** Ways to make a request to `route` wrong; each returns undefined when it does not apply to the route. */
const MUTATIONS: Record<string, Mutation> = {
  unknownQueryField: (rng, route) => ({
    kind: "unknownQueryField",
    method: route.method,
    path: fill(rng, route) + queryString([...baseQuery(rng, route), [`x${rng.string(5)}`, String(badValue(rng)).slice(0, 200)]]),
    headers: jsonHeaders(route),
    body: route.takesBody ? "{}" : undefined,
  }),
  badQueryValue: (rng, route) => {
    const target = route.query.find((p) => p.schema?.pattern || p.schema?.type === "integer") ?? route.query.find((p) => p.required);
    if (!target) return undefined;
    const entries = baseQuery(rng, route).filter(([k]) => k !== target.name);
    // Only values the parameter's schema refuses: "0x10" is a fine value for a pattern such as ^[A-Za-z0-9.-]{1,32}$.
    const value = rng.pick(["", "abc", "-5", "1e999", "0x10", rng.string(HUGE), "did:", rng.hex(19), "%zz"].filter((v) => !fitsSchema(v, target.schema)));
    // Leaving the parameter out is malformed only when it is required (GET /directory's are all optional).
    if (!target.required || rng.int(3) > 0) entries.push([target.name, value]);
    return { kind: "badQueryValue", method: route.method, path: fill(rng, route) + queryString(entries), headers: jsonHeaders(route), body: route.takesBody ? "{}" : undefined };
  },
  badPathParam: (rng, route) => {
    const target = route.params[0];
    if (!target) return undefined;
    const value = rng.pick(["0x", "0xzz", "did:", "%", "%E0%A4%A", "%00", "..%2F..%2Fetc", "x".repeat(150), "0x" + "a".repeat(500), "%F0%9F%98%80", encodeURIComponent(String(badValue(rng)).slice(0, 90).replace(/[\ud800-\udfff]/g, "\ufffd"))]);
    return { kind: "badPathParam", method: route.method, path: fill(rng, route, { [target.name]: value }), headers: jsonHeaders(route), body: route.takesBody ? "{}" : undefined };
  },
  wrongMethod: (rng, route) => ({
    kind: "wrongMethod",
    method: rng.pick(["PUT", "DELETE", "PATCH"]),
    path: fill(rng, route),
    headers: { "content-type": "application/json" },
    body: JSON.stringify(randomJson(rng)),
  }),
  badUrl: (rng, route) => ({ kind: "badUrl", method: route.method, path: `${fill(rng, route)}/${rng.pick(["%", "%G0", "%E0%A4%A", "%ff%fe"])}`, headers: jsonHeaders(route), body: route.takesBody ? "{}" : undefined }),
  randomJsonBody: (rng, route) => (route.takesBody ? post(route, rng, JSON.stringify(randomJson(rng))) : undefined),
  wrongTypesBody: (rng, route) => (route.takesBody && route.body ? post(route, rng, JSON.stringify(wrongShape(rng, route.body))) : undefined),
  hugeStringBody: (rng, route) => (route.takesBody ? post(route, rng, JSON.stringify({ [firstField(route) ?? "x"]: rng.string(HUGE * rng.pick([1, 3])) })) : undefined),
  deepNestingBody: (rng, route) => {
    if (!route.takesBody) return undefined;
    const depth = rng.pick([500, 5_000, 20_000]);
    return post(route, rng, rng.int(2) === 0 ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth));
  },
  invalidJsonBody: (rng, route) =>
    route.takesBody ? post(route, rng, rng.pick(["", "{", "{'a':1}", '{"a":1,}', "NaN", "[1,2", '{"leaves":[0x00]}', '{"a":"\\x"}', "\u0000", '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}'])) : undefined,
  invalidUtf8Body: (rng, route) => {
    if (!route.takesBody) return undefined;
    const junk = Uint8Array.from({ length: 1 + rng.int(6) }, () => 0x80 + rng.int(0x80));
    const text = `{"${firstField(route) ?? "a"}":"`;
    return { ...post(route, rng, ""), kind: "invalidUtf8Body", body: Buffer.concat([Buffer.from(text), junk, Buffer.from('"}')]) };
  },
  wrongContentType: (rng, route) =>
    route.takesBody
      ? {
          ...post(route, rng, JSON.stringify(randomJson(rng))),
          kind: "wrongContentType",
          headers: { "content-type": rng.pick(["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/jsonx", "image/png"]) },
        }
      : undefined,
  missingContentType: (rng, route) => (route.takesBody ? { ...post(route, rng, JSON.stringify(randomJson(rng))), kind: "missingContentType", headers: {} } : undefined),
  badAuthorization: (rng, route) => {
    if (!route.signed) return undefined;
    const headers: Record<string, string> = { ...jsonHeaders(route), authorization: rng.pick(BAD_AUTHORIZATION) };
    if (rng.int(2) === 0) headers["x-openchart-cacao"] = rng.pick(["", "x", rng.string(200), Buffer.from(rng.string(64)).toString("base64url")]);
    return { kind: "badAuthorization", method: route.method, path: fill(rng, route) + queryString(baseQuery(rng, route)), headers, body: route.takesBody ? "{}" : undefined };
  },
  missingSignature: (rng, route) =>
    route.signed ? { kind: "missingSignature", method: route.method, path: fill(rng, route) + queryString(baseQuery(rng, route)), headers: jsonHeaders(route), body: route.takesBody ? "{}" : undefined } : undefined,
  badIdempotencyKey: (rng, route) => {
    if (!route.headers.some((h) => h.name === "idempotency-key")) return undefined;
    // Header values are bytes (Latin-1 at most); "clé" arrives as one non-ASCII byte.
    const key = rng.pick(["a b", "x".repeat(201 + rng.int(500)), "\t", "cl\u00e9"]);
    return { ...post(route, rng, JSON.stringify(randomJson(rng))), kind: "badIdempotencyKey", headers: { ...jsonHeaders(route), "idempotency-key": key } };
  },
  badPreflight: (rng, route) => ({
    kind: "badPreflight",
    method: "OPTIONS",
    path: fill(rng, route),
    headers: rng.int(2) === 0 ? ({ origin: "http://localhost:5173" } as Record<string, string>) : { "access-control-request-method": route.method },
  }),
};

function baseQuery(rng: Random, route: Route): [string, string][] {
  return route.query.filter((p) => p.required).map((p) => [p.name, plausible(rng, p.schema)]);
}

function jsonHeaders(route: Route): Record<string, string> {
  return route.takesBody ? { "content-type": "application/json" } : {};
}

function firstField(route: Route): string | undefined {
  const schema = route.body?.anyOf?.[0] ?? route.body;
  return Object.keys(schema?.properties ?? {})[0];
}

function post(route: Route, rng: Random, body: string): FuzzRequest {
  return { kind: "body", method: route.method, path: fill(rng, route) + queryString(baseQuery(rng, route)), headers: { "content-type": "application/json" }, body };
}

/** `count` malformed requests spread over the routes, each wrong in at least one way. */
export function malformedRequests(routes: readonly Route[], count: number, rng: Random): FuzzRequest[] {
  const requests: FuzzRequest[] = [];
  const names = Object.keys(MUTATIONS);
  while (requests.length < count) {
    const route = routes[requests.length % routes.length]!;
    const name = rng.pick(names);
    const request = MUTATIONS[name]!(rng, route);
    if (request) requests.push({ ...request, kind: request.kind === "body" ? name : request.kind });
  }
  return requests;
}

/** Whether a query string value satisfies its parameter's schema (its pattern, or an integer within bounds). */
function fitsSchema(value: string, schema: JsonSchema | undefined): boolean {
  if (schema?.pattern) return new RegExp(schema.pattern, "u").test(value);
  if (schema?.type === "integer") {
    if (!/^-?\d+$/.test(value)) return false;
    const n = Number(value);
    return n >= (schema.minimum ?? -Infinity) && n <= (schema.maximum ?? Infinity);
  }
  return false;
}
