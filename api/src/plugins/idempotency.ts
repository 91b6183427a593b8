import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest, RouteOptions, onSendHookHandler, preHandlerHookHandler } from "fastify";
import fp from "fastify-plugin";
import type { IdempotencyStore, IdempotentId } from "../store/store.js";
import { apiError } from "../errors.js";

/** How a route that opted in with `config: { idempotent: ... }` refines the defaults. */
export interface IdempotentRoute {
  /** What a retry must repeat, when not the whole body and query (say, a set of leaves in any order or case). */
  fingerprint?(request: FastifyRequest): unknown;
  /** Adjusts a replayed JSON answer (say, sets its `replayed` flag). */
  onReplay?(body: unknown): unknown;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** A creating POST: a request with an `Idempotency-Key` is answered once, and replayed on retries. */
    idempotent?: boolean | IdempotentRoute;
  }
}

export interface IdempotencyOptions {
  store: IdempotencyStore;
  /** How long an answer is kept for replay. */
  ttlMs: number;
  /**
   * How long a reservation lasts without renewal: a running request renews it every third of this, so
   * its key is freed this long after its process died (killed, or a replica gone), not before.
   */
  leaseMs?: number;
  /** The signed-in caller's DID when the request is signed (keys are scoped per caller, else per address). */
  callerOf(request: FastifyRequest): Promise<string | undefined>;
}

export const IDEMPOTENCY_HEADER = "idempotency-key";
/** Also what the sdk's anchor client checks before sending. */
const KEY_SCHEMA = { type: "string", pattern: "^[\\x21-\\x7e]{1,200}$", description: "1 to 200 printable ASCII characters; a retry sends the same key and the same request" };
const DEFAULT_LEASE_MS = 6_000;

/**
 * `Idempotency-Key` for every route that sets `config: { idempotent: true }` (or route options). The
 * key is scoped to its sender (the signed-in DID, else the client address) and to the method and path,
 * and remembered with a digest of the request:
 * - first time: the key is reserved, the route runs, and a 2xx answer is stored durably (before the
 *   client sees it) and kept for `ttlMs`; an error answer frees the key, so the retry runs again;
 * - same key, same request, answered: the stored answer is replayed (`Idempotent-Replayed: true`);
 * - same key, same request, still running: 409 IDEMPOTENCY_KEY_IN_USE (retry later);
 * - same key, another request: 409 IDEMPOTENCY_KEY_REUSED.
 * The records are in the database every replica shares, so a retry sent to another replica gets the same
 * answer. A reservation whose process died lapses after `leaseMs`; on SQLite (one process per file)
 * those found at start are dropped at once.
 */
export const idempotency = fp<IdempotencyOptions>(
  async (app, options) => {
    const { store, ttlMs } = options;
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    const reserved = new WeakMap<FastifyRequest, { id: IdempotentId; renewal: NodeJS.Timeout }>();
    await store.releaseAbandoned(Date.now());
    const settle = (request: FastifyRequest) => {
      const held = reserved.get(request);
      if (held) clearInterval(held.renewal);
      reserved.delete(request);
      return held?.id;
    };
    // However a request ends (an answer, an abort), its renewals stop.
    app.addHook("onResponse", async (request) => void settle(request));
    app.addHook("onRequestAbort", async (request) => void settle(request));

    app.addHook("onRoute", (route: RouteOptions) => {
      const setting = route.config?.idempotent;
      if (!setting) return;
      const refine: IdempotentRoute = setting === true ? {} : setting;
      route.schema = { ...(route.schema ?? {}), headers: withKeyHeader(route.schema?.headers) };
      route.preHandler = [...hooks(route.preHandler), claimKey(refine)];
      route.onSend = [...hooks(route.onSend), keepAnswer];
    });

    function claimKey(refine: IdempotentRoute): preHandlerHookHandler {
      return async function (request: FastifyRequest, reply: FastifyReply) {
        const key = request.headers[IDEMPOTENCY_HEADER];
        if (typeof key !== "string") return;
        // A signature that does not verify leaves the key scoped to the address; the route refuses it if it needs a caller.
        const caller = await options.callerOf(request).catch(() => undefined);
        const id: IdempotentId = { scope: caller ?? `ip:${request.ip}`, route: `${request.method} ${request.url.split("?")[0]}`, keyHash: digest(key) };
        const asked = refine.fingerprint ? refine.fingerprint(request) : { body: request.body ?? null, query: request.query ?? {} };
        const now = Date.now();
        const outcome = await store.begin({ ...id, fingerprint: digest(canonicalJson(asked)), now, leaseUntil: now + leaseMs, expiresAt: now + ttlMs });
        switch (outcome.kind) {
          case "reserved": {
            const renewal = setInterval(() => {
              store.renew(id, Date.now() + leaseMs).catch((error: Error) => request.log.warn({ err: error }, "could not renew an Idempotency-Key reservation"));
            }, leaseMs / 3);
            renewal.unref();
            reserved.set(request, { id, renewal });
            return;
          }
          case "conflict":
            throw apiError("IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was already used for a different request; use a new key for a new request");
          case "in-progress":
            reply.header("retry-after", "1");
            throw apiError("IDEMPOTENCY_KEY_IN_USE", "a request with this Idempotency-Key is still being processed; retry shortly with the same key");
          case "replay": {
            const { status, contentType, body } = outcome.answer;
            const replayed = refine.onReplay && contentType.startsWith("application/json") ? JSON.stringify(refine.onReplay(JSON.parse(body))) : body;
            return reply.code(status).type(contentType).header("idempotent-replayed", "true").send(replayed);
          }
        }
      };
    }

    const keepAnswer: onSendHookHandler = async function (request, reply, payload) {
      const id = settle(request);
      if (!id) return payload;
      try {
        if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === "string") {
          const contentType = String(reply.getHeader("content-type") ?? "application/json");
          await store.complete(id, { status: reply.statusCode, contentType, body: payload }, Date.now() + ttlMs);
        } else {
          await store.release(id);
        }
      } catch (error) {
        // The answer stands; the key stays reserved until its lease ends, then a retry runs again.
        request.log.error({ err: error }, "could not record the answer of an idempotent request");
      }
      return payload;
    };
  },
  { name: "openchart-idempotency" },
);

function withKeyHeader(headers: unknown): object {
  const declared = (headers ?? { type: "object", properties: {} }) as { properties?: Record<string, unknown> };
  return { ...declared, properties: { ...declared.properties, [IDEMPOTENCY_HEADER]: KEY_SCHEMA } };
}

function hooks<T>(declared: T | T[] | undefined): T[] {
  if (declared === undefined) return [];
  return Array.isArray(declared) ? declared : [declared];
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** JSON with object keys sorted at every level: the same request gives the same digest whatever its key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
