import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { ProblemSchema } from "../errors.js";
import { callerOf } from "./route-auth.js";
import type { SignIn } from "./sign-in.js";

/**
 * `POST /auth/token`: one session-signed request buys a short-lived bearer token, so that a busy client
 * (the web app polling, a doctor's console) pays one HMAC per request instead of two signature checks.
 */
export const authRoutes: FastifyPluginAsyncTypebox<{ signIn: SignIn }> = async (app, { signIn }) => {
  app.post(
    "/auth/token",
    {
      config: { auth: "signed" },
      schema: {
        summary: "Exchange a session-signed request for a short-lived API token",
        tags: ["auth"],
        security: [{ didSession: [] }],
        response: {
          200: Type.Object({
            token: Type.String(),
            expiresAt: Type.Integer({ description: "milliseconds since the epoch" }),
            did: Type.String(),
            roles: Type.Array(Type.String()),
          }),
          401: ProblemSchema,
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return { ...signIn.issueToken(caller), did: caller.did, roles: [...caller.roles] };
    },
  );

  app.get(
    "/auth/me",
    {
      config: { auth: "signed" },
      schema: {
        summary: "Who the signed-in caller is and which roles they hold",
        tags: ["auth"],
        security: [{ didSession: [] }],
        response: { 200: Type.Object({ did: Type.String(), roles: Type.Array(Type.String()) }), 401: ProblemSchema },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return { did: caller.did, roles: [...caller.roles] };
    },
  );
};
