import fp from "fastify-plugin";
import { apiError } from "../errors.js";
import type { CounterStore } from "../store/store.js";

const WINDOW_MS = 60_000;

/**
 * The per-DID request limit, besides hardening.ts's per-address one: a signed-in caller spread over
 * many addresses (or behind one shared by many honest users) is counted as the one caller they are.
 * The per-address limit runs before the body is read, when the caller is not known yet; this one runs
 * once the route-auth hook has verified the caller, and before the route's own preHandlers (an
 * Idempotency-Key is not claimed by a refused request). Fixed one-minute windows, as the per-address
 * limit counts, in the store: every replica counts the caller's requests together.
 */
export const callerRateLimit = fp<{ perMinute: number; counters: CounterStore }>(
  async (app, { perMinute, counters }) => {
    app.addHook("preHandler", async (request) => {
      const did = request.caller?.did.toLowerCase();
      if (did === undefined) return;
      const now = Date.now();
      const { count, resetsAt } = await counters.hit(`did:${did}`, WINDOW_MS, now).catch((error: Error) => {
        request.log.error({ err: error }, "the per-DID rate limit could not count a request");
        throw apiError("SERVICE_UNAVAILABLE", "the API cannot count requests right now; try again shortly");
      });
      if (count > perMinute) {
        throw apiError("RATE_LIMITED", `more than ${perMinute} requests per minute from this caller (${request.caller!.did})`, {
          retryAfterSeconds: (resetsAt - now) / 1000,
        });
      }
    });
  },
  { name: "openchart-caller-rate-limit", dependencies: ["openchart-route-auth"] },
);
