import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { SealedProfileSchema, StoredProfileSchema } from "@openchart/sdk";
import { Type } from "typebox";
import { callerOf } from "../auth/route-auth.js";
import { apiError, ProblemSchema } from "../errors.js";
import type { ProfileStore } from "../store/directory-store.js";

/** A JWE in JSON serialization, as the sdk's sealJson writes it: the API checks the shape, never the content. */
function isSealedJson(value: string): boolean {
  try {
    const jwe = JSON.parse(value) as Record<string, unknown>;
    return typeof jwe === "object" && jwe !== null && ["protected", "iv", "ciphertext", "tag"].every((field) => typeof jwe[field] === "string");
  } catch {
    return false;
  }
}

/**
 * `PUT /profile` and `GET /profile`: the caller's patient profile (name, date of birth), sealed on their
 * device under a key derived from their own secret, kept for their other devices. The API holds a
 * ciphertext it cannot open, under the signed-in caller's DID only: no route reads another DID's. Doctors
 * get the profile inside each grant, sealed to them, not from here.
 */
export const profileRoutes: FastifyPluginAsyncTypebox<{ profiles: ProfileStore }> = async (app, { profiles }) => {
  app.put(
    "/profile",
    {
      config: { auth: "signed" },
      schema: {
        summary: "Keep my profile, sealed on my device, for my other devices",
        tags: ["profile"],
        security: [{ didSession: [] }],
        body: SealedProfileSchema,
        response: { 204: Type.Null(), 400: ProblemSchema, 401: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { did } = callerOf(request);
      // Plaintext sent by mistake (a client that forgot to seal) is refused, not kept.
      if (!isSealedJson(request.body.sealed)) throw apiError("INVALID_REQUEST", "sealed must be the sealed profile (a JWE as JSON), never the profile itself");
      await profiles.put(did, request.body.sealed, { subject: did, action: "profile.put", decision: "accepted", refs: {} }, Date.now());
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/profile",
    {
      config: { auth: "signed" },
      schema: {
        summary: "My profile, as my device sealed it",
        tags: ["profile"],
        security: [{ didSession: [] }],
        response: { 200: StoredProfileSchema, 401: ProblemSchema, 404: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request) => {
      const stored = await profiles.get(callerOf(request).did);
      if (!stored) throw apiError("NOT_FOUND", "no profile is kept for this account");
      return stored;
    },
  );
};
