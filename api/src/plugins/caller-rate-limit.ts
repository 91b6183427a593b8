import fp from "fastify-plugin";
import { apiError } from "../errors.js";

const WINDOW_MS = 60_000;

/**
 * The per-DID request limit, besides hardening.ts's per-address one: a signed-in caller spread over
 * many addresses (or behind one shared by many honest users) is counted as the one caller they are.
 * The per-address limit runs before the body is read, when the caller is not known yet; this one runs
 * once the route-auth hook has verified the caller, and before the route's own preHandlers (an
 * Idempotency-Key is not claimed by a refused request). Fixed one-minute windows, as the per-address
 * limit counts; in memory, per process.
 */
export const callerRateLimit = fp<{ perMinute: number }>(
  async (app, { perMinute }) => {
    const windows = new Map<string, { start: number; count: number }>();
    let lastSweep = 0;
    app.addHook("preHandler", async (request) => {
      const did = request.caller?.did.toLowerCase();
      if (did === undefined) return;
      const now = Date.now();
      if (now - lastSweep >= WINDOW_MS) {
        // Windows that ended are dropped, so memory follows the callers of the last minute only.
        for (const [key, window] of windows) if (now - window.start >= WINDOW_MS) windows.delete(key);
        lastSweep = now;
      }
      let window = windows.get(did);
      if (!window || now - window.start >= WINDOW_MS) {
        window = { start: now, count: 0 };
        windows.set(did, window);
      }
      window.count++;
      if (window.count > perMinute) {
        throw apiError("RATE_LIMITED", `more than ${perMinute} requests per minute from this caller (${request.caller!.did})`, {
          retryAfterSeconds: (window.start + WINDOW_MS - now) / 1000,
        });
      }
    });
  },
  { name: "openchart-caller-rate-limit", dependencies: ["openchart-route-auth"] },
);
