import cors from "@fastify/cors";
import helmet from "@fastify/helmet";
import rateLimit, { type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from "@fastify/rate-limit";
import type { FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import fp from "fastify-plugin";
import { STATUS_CODES } from "node:http";
import { apiError, codeForStatus, problemOf } from "../errors.js";
import type { CounterStore } from "../store/store.js";
import { REQUEST_ID_HEADER } from "./logger.js";

export interface HardeningOptions {
  /** Browser origins whose pages may call the API (exact `scheme://host:port`). */
  corsOrigins: readonly string[];
  /** Requests per minute per client address. */
  rateLimitPerMinute: number;
  /** Client addresses the rate limit does not count (as `request.ip` reports them). */
  rateLimitAllow: readonly string[];
  /** Where requests are counted: the store every replica shares, so a client is counted once whichever replica it reaches. */
  counters: CounterStore;
}

/** Request headers a browser page may send: the did-session signature and its CACAO, JSON, and retries' keys. */
export const CORS_ALLOWED_HEADERS = ["authorization", "x-openchart-cacao", "content-type", "idempotency-key"];
/** Response headers a page may read: when to retry, and whether an answer is a replay. */
export const CORS_EXPOSED_HEADERS = ["retry-after", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "idempotent-replayed", REQUEST_ID_HEADER];

/**
 * What every route gets, registered before any route so that its onRoute hooks see them all:
 * security headers (helmet; the API answers JSON, so helmet's strict defaults cost nothing), CORS for
 * the configured origins only, a per-client rate limit, querystrings and bodies that refuse fields
 * the route does not declare, and a problem document for any error answer some plugin made itself.
 */
export const hardening = fp<HardeningOptions>(
  async (app, options) => {
    await app.register(helmet);
    await app.register(cors, {
      origin: [...options.corsOrigins],
      // PUT: the web app keeps its wallet-wrapped key and device entry (PUT /keys/wrapped, /keys/devices/:id);
      // DELETE: forget a device, sign out everywhere, remove guardians, unpin a record (DELETE /pins/:cid).
      methods: ["GET", "HEAD", "POST", "PUT", "DELETE"],
      allowedHeaders: CORS_ALLOWED_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      // Bearer tokens and signed headers, never cookies: credentialed CORS is not needed.
      credentials: false,
      maxAge: 600,
    });
    const exempt = new Set(options.rateLimitAllow);
    await app.register(rateLimit, {
      global: true,
      max: options.rateLimitPerMinute,
      timeWindow: 60_000,
      // Keyed by client address (Fastify's request.ip, which honours API_TRUST_PROXY): the limit is
      // checked before the body is read, when a signed request's caller is not known yet.
      allowList: (request) => exempt.has(request.ip),
      store: sharedCounters(options.counters),
      // The counters live in the database: when it fails, requests pass uncounted rather than all failing
      // (/healthz must still say "down"); every route that writes needs the database anyway.
      skipOnError: true,
      errorResponseBuilder: (_request, context) =>
        apiError("RATE_LIMITED", `more than ${context.max} requests per minute from this client; retry in ${context.after}`),
    });
    // Each answer names its request's id, which every log line of the request carries (see logger.ts).
    app.addHook("onRequest", async (request, reply) => void reply.header(REQUEST_ID_HEADER, request.id));
    app.addHook("onRoute", refuseUndeclaredFields);
    app.addHook("onSend", problemForEveryError);
  },
  { name: "openchart-hardening" },
);

/** @fastify/rate-limit's store over the API's counters (its own, per process, would count per replica). */
function sharedCounters(counters: CounterStore): FastifyRateLimitStoreCtor {
  return class SharedCounters implements FastifyRateLimitStore {
    /** `ip:` for the one per-address limit; a route with a limit of its own counts under its method and URL. */
    constructor(
      _options?: unknown,
      private readonly prefix = "ip:",
    ) {}

    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const now = Date.now();
      counters.hit(`${this.prefix}${key}`, timeWindow, now).then(
        ({ count, resetsAt }) => callback(null, { current: count, ttl: resetsAt - now }),
        (error: Error) => callback(error),
      );
    }

    // A route with a limit of its own (the public directory search, lower) counts apart: its limit replaces the global one there.
    child(options: Parameters<FastifyRateLimitStore["child"]>[0]): FastifyRateLimitStore {
      // At run time the plugin passes its merged options with the route under `routeInfo` (its types say otherwise).
      const route = (options as unknown as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      return typeof route?.url === "string" ? new SharedCounters(undefined, `route:${String(route.method)} ${route.url}:`) : this;
    }
  };
}

const NO_QUERY = { type: "object", properties: {}, additionalProperties: false } as const;

/**
 * A route that declares no querystring takes none; declared top-level querystring and body objects
 * refuse unknown properties unless they say otherwise. A misspelled field is an error the client
 * hears about, not a value silently ignored. Preflights (OPTIONS) keep the query of the URL they ask about.
 */
function refuseUndeclaredFields(route: RouteOptions): void {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (methods.includes("OPTIONS")) return;
  const schema = { ...(route.schema ?? {}) } as Record<string, unknown>;
  schema.querystring = strictObject(schema.querystring) ?? NO_QUERY;
  if (schema.body !== undefined) schema.body = strictObject(schema.body) ?? schema.body;
  route.schema = schema;
}

function strictObject(schema: unknown): object | undefined {
  if (schema === null || typeof schema !== "object") return undefined;
  const object = schema as { type?: unknown; additionalProperties?: unknown };
  if (object.type !== "object" || object.additionalProperties !== undefined) return schema;
  return { ...object, additionalProperties: false };
}

/**
 * A safety net: an error answer that is not already a problem document (a plugin's own 400, say) is
 * rewritten as one with the code for its status, so clients can always branch on `code`; except where
 * the route documents another body for that status.
 */
async function problemForEveryError(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (reply.statusCode < 400) return payload;
  if (String(reply.getHeader("content-type") ?? "").startsWith("application/problem+json")) return payload;
  // A route that documents its own body for this status (`/healthz`'s 503 "down") means it.
  const documented = (request.routeOptions.schema?.response as Record<string, unknown> | undefined)?.[String(reply.statusCode)];
  if (documented !== undefined && !isProblemSchema(documented)) return payload;
  const error = apiError(codeForStatus(reply.statusCode), detailOf(payload) ?? STATUS_CODES[reply.statusCode] ?? "error");
  request.log.debug({ status: reply.statusCode }, "error answer rewritten as a problem document");
  reply.code(error.status).type("application/problem+json");
  return JSON.stringify(problemOf(error));
}

function isProblemSchema(schema: unknown): boolean {
  return (schema as { properties?: Record<string, unknown> }).properties?.code !== undefined;
}

function detailOf(payload: unknown): string | undefined {
  if (typeof payload !== "string" || payload.length === 0 || payload.length > 500) return undefined;
  try {
    const parsed = JSON.parse(payload) as { message?: unknown };
    return typeof parsed.message === "string" ? parsed.message : undefined;
  } catch {
    return payload;
  }
}
