import type { FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { Caller, Role, SignIn } from "./sign-in.js";

/**
 * What a route asks of its caller, declared as `config: { auth }`:
 * - "signed": any signed-in caller (every signed-in caller holds role patient);
 * - "doctor", "issuer", "admin": a signed-in caller holding that role (403 otherwise);
 * - "optional": a signature or token, when one is sent, must verify; the route decides what an
 *   unsigned request may do (the audit log's admin token).
 */
export type RouteAuth = "signed" | "optional" | Exclude<Role, "patient">;

declare module "fastify" {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    /** The verified caller, set before the route's own hooks run on routes that declare `config.auth`. */
    caller: Caller | undefined;
  }
}

/**
 * Enforces every route's `config.auth` in one hook. A preHandler, not onRequest: a session-signed
 * request's signature covers its raw body, which exists only once the body is parsed; and a malformed
 * request still hears 400 before 401, as the schema validation runs first. Registered before the
 * routes, it runs before their own preHandlers (the idempotency plugin's), so a refused caller never
 * claims an Idempotency-Key.
 */
export const routeAuth = fp<{ signIn: SignIn }>(
  async (app, { signIn }) => {
    app.decorateRequest("caller", undefined);
    app.addHook("preHandler", async (request) => {
      const auth = request.routeOptions.config.auth;
      if (auth === undefined) return;
      if (auth === "optional") request.caller = await signIn.callerOf(request);
      else if (auth === "signed") request.caller = await signIn.requireCaller(request);
      else request.caller = await signIn.requireRole(request, auth);
    });
  },
  { name: "openchart-route-auth" },
);

/** The verified caller of a route that declares `config: { auth }` (not "optional"). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error(`${request.method} ${request.routeOptions.url ?? request.url} reads its caller but declares no config.auth`);
  return request.caller;
}
