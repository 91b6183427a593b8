// A loopback IPFS Pinning Service: a real HTTP server that speaks the Pinning Service API
// (https://ipfs.github.io/pinning-services-api-spec/, version 1.0.0) with a bearer token, so the code
// under test talks to it exactly as to a paid service. It pins nothing: a request moves from queued to
// pinning to pinned as its status is read (or to failed, for CIDs told to fail). Failures are injected
// per request (an HTTP status with the spec's Failure body), or by taking the whole service down.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type PinStatusValue = "queued" | "pinning" | "pinned" | "failed";

export interface Pin {
  cid: string;
  name?: string;
  origins?: string[];
  meta?: Record<string, string>;
}

export interface PinStatus {
  requestid: string;
  status: PinStatusValue;
  created: string;
  pin: Pin;
  delegates: string[];
  info?: Record<string, string>;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorized: boolean;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface InjectedFailure {
  status: number;
  reason?: string;
  /** Only requests this matches fail (default: any). */
  match?: (request: { method: string; path: string }) => boolean;
}

export interface PinningServiceOptions {
  token: string;
  /** Status reads a request takes to go queued -> pinning -> pinned; default 2 (one read each). */
  readsToPin?: number;
}

export interface LoopbackPinningService {
  url: string;
  token: string;
  /** Every request received, in order (with whether it carried the right token). */
  received: ReceivedRequest[];
  /** The service's pin objects, newest last. */
  pins(): PinStatus[];
  /** The next `count` requests that `failure.match` accepts answer `failure.status`. */
  failNext(count: number, failure: InjectedFailure): void;
  /** Pin requests for this CID end as failed instead of pinned. */
  failCid(cid: string): void;
  /** Every request answers 503 until `up()`. */
  down(): void;
  up(): void;
  close(): Promise<void>;
}

const DELEGATE = "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK";
const MATCH = new Set(["exact", "iexact", "partial", "ipartial"]);

class HttpFailure extends Error {
  constructor(readonly status: number, readonly reason: string, readonly details?: string) {
    super(reason);
  }
}

export async function startPinningService(options: PinningServiceOptions): Promise<LoopbackPinningService> {
  const readsToPin = options.readsToPin ?? 2;
  const store = new Map<string, PinStatus & { reads: number; createdMs: number }>();
  const failingCids = new Set<string>();
  const injected: { remaining: number; failure: InjectedFailure }[] = [];
  const received: ReceivedRequest[] = [];
  let isDown = false;
  let lastCreated = 0;

  const create = (pin: Pin): PinStatus & { reads: number; createdMs: number } => {
    // `created` must be unique: the spec paginates by it.
    const createdMs = Math.max(Date.now(), lastCreated + 1);
    lastCreated = createdMs;
    const entry = { requestid: randomUUID(), status: "queued" as PinStatusValue, created: new Date(createdMs).toISOString(), pin, delegates: [DELEGATE], reads: 0, createdMs };
    store.set(entry.requestid, entry);
    return entry;
  };

  const advance = (entry: PinStatus & { reads: number }): void => {
    if (entry.status === "pinned" || entry.status === "failed") return;
    entry.reads++;
    if (failingCids.has(entry.pin.cid)) entry.status = entry.reads >= readsToPin ? "failed" : "pinning";
    else entry.status = entry.reads >= readsToPin ? "pinned" : "pinning";
  };

  const view = ({ requestid, status, created, pin, delegates, info }: PinStatus): PinStatus => ({ requestid, status, created, pin, delegates, ...(info ? { info } : {}) });

  const handle = async (request: IncomingMessage, method: string, path: string, query: URLSearchParams, body: unknown): Promise<[number, unknown]> => {
    const one = /^\/pins\/([^/]+)$/.exec(path);
    if (path === "/pins" && method === "GET") return [200, list(query)];
    if (path === "/pins" && method === "POST") return [202, view(create(readPin(body)))];
    if (one && method === "GET") {
      const entry = found(one[1]!);
      advance(entry);
      return [200, view(entry)];
    }
    if (one && method === "POST") {
      const pin = readPin(body);
      store.delete(found(one[1]!).requestid);
      return [202, view(create(pin))];
    }
    if (one && method === "DELETE") {
      store.delete(found(one[1]!).requestid);
      return [202, undefined];
    }
    throw new HttpFailure(404, "NOT_FOUND", `no route ${request.method} ${path}`);
  };

  const found = (requestid: string) => {
    const entry = store.get(decodeURIComponent(requestid));
    if (!entry) throw new HttpFailure(404, "NOT_FOUND", "The specified resource was not found");
    return entry;
  };

  const list = (query: URLSearchParams): { count: number; results: PinStatus[] } => {
    const cids = query.get("cid")?.split(",").filter(Boolean);
    if (cids && cids.length > 10) throw new HttpFailure(400, "BAD_REQUEST", "at most 10 CIDs per query");
    const statuses = (query.get("status") ?? "pinned").split(",") as PinStatusValue[];
    if (statuses.some((s) => !["queued", "pinning", "pinned", "failed"].includes(s))) throw new HttpFailure(400, "BAD_REQUEST", "unknown status");
    const name = query.get("name");
    const match = query.get("match") ?? "exact";
    if (!MATCH.has(match)) throw new HttpFailure(400, "BAD_REQUEST", "unknown match");
    const limit = Number(query.get("limit") ?? 10);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new HttpFailure(400, "BAD_REQUEST", "limit must be 1 to 1000");
    const before = query.get("before") ? Date.parse(query.get("before")!) : Infinity;
    const after = query.get("after") ? Date.parse(query.get("after")!) : -Infinity;
    const meta = query.get("meta") ? (JSON.parse(query.get("meta")!) as Record<string, string>) : {};
    const named = (candidate: string | undefined) => {
      if (name === null) return true;
      if (candidate === undefined) return false;
      const [a, b] = match.startsWith("i") ? [candidate.toLowerCase(), name.toLowerCase()] : [candidate, name];
      return match.endsWith("partial") ? a.includes(b) : a === b;
    };
    const matching = [...store.values()]
      .filter((e) => (!cids || cids.includes(e.pin.cid)) && statuses.includes(e.status) && named(e.pin.name))
      .filter((e) => e.createdMs < before && e.createdMs > after && Object.entries(meta).every(([k, v]) => e.pin.meta?.[k] === v))
      .sort((a, b) => b.createdMs - a.createdMs);
    return { count: matching.length, results: matching.slice(0, limit).map(view) };
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const method = request.method ?? "GET";
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const authorized = request.headers.authorization === `Bearer ${options.token}`;
      received.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), authorized, headers: { ...request.headers }, body });
      void (async (): Promise<[number, unknown]> => {
        if (isDown) throw new HttpFailure(503, "SERVICE_UNAVAILABLE", "the service is down");
        if (!authorized) throw new HttpFailure(401, "UNAUTHORIZED", "Access token is missing or invalid");
        const failure = injected.find((f) => f.remaining > 0 && (f.failure.match?.({ method, path: url.pathname }) ?? true));
        if (failure) {
          failure.remaining--;
          throw new HttpFailure(failure.failure.status, failure.failure.reason ?? "INJECTED_FAILURE");
        }
        if (typeof body === "string") throw new HttpFailure(400, "BAD_REQUEST", "the body is not JSON");
        return handle(request, method, url.pathname, url.searchParams, body);
      })()
        .catch((error: unknown): [number, unknown] => {
          if (error instanceof HttpFailure) return [error.status, { error: { reason: error.reason, ...(error.details ? { details: error.details } : {}) } }];
          return [500, { error: { reason: "INTERNAL_SERVER_ERROR", details: (error as Error).message } }];
        })
        .then(([status, payload]) => send(response, status, payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    token: options.token,
    received,
    pins: () => [...store.values()].sort((a, b) => a.createdMs - b.createdMs).map(view),
    failNext: (count, failure) => void injected.push({ remaining: count, failure }),
    failCid: (cid) => void failingCids.add(cid),
    down: () => void (isDown = true),
    up: () => void (isDown = false),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readPin(body: unknown): Pin {
  const pin = body as Partial<Pin> | undefined;
  if (!pin || typeof pin.cid !== "string" || pin.cid.length === 0) throw new HttpFailure(400, "BAD_REQUEST", "cid is required");
  if (pin.name !== undefined && (typeof pin.name !== "string" || pin.name.length > 255)) throw new HttpFailure(400, "BAD_REQUEST", "name is at most 255 characters");
  if (pin.origins !== undefined && (!Array.isArray(pin.origins) || pin.origins.length > 20)) throw new HttpFailure(400, "BAD_REQUEST", "at most 20 origins");
  const allowed = new Set(["cid", "name", "origins", "meta"]);
  const unknown = Object.keys(pin).find((key) => !allowed.has(key));
  if (unknown) throw new HttpFailure(400, "BAD_REQUEST", `unknown field ${unknown}`);
  return { cid: pin.cid, ...(pin.name === undefined ? {} : { name: pin.name }), ...(pin.origins ? { origins: pin.origins } : {}), ...(pin.meta ? { meta: pin.meta } : {}) };
}

function send(response: ServerResponse, status: number, payload: unknown): void {
  if (payload === undefined) return void response.writeHead(status).end();
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
}
