import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { WRAPPED_MASTER_MAX_CHARS } from "@openchart/sdk";
import { Type } from "typebox";
import { callerOf } from "../auth/route-auth.js";
import { apiError, ProblemSchema } from "../errors.js";
import type { WrappedKeyStore, AuditStore } from "../store/store.js";
import { ownCopy } from "./own-copy.js";

const Options = { additionalProperties: false };
const Blob = Type.String({ minLength: 2, maxLength: WRAPPED_MASTER_MAX_CHARS, description: "the sdk's WrappedMaster as JSON (kind wallet)" });
const Wrapped = Type.Object({ blob: Blob }, Options);
const Stored = Type.Object({ blob: Blob, updatedAt: Type.Integer({ description: "milliseconds since the epoch" }) });

/**
 * `PUT /keys/wrapped` and `GET /keys/wrapped`: the caller's master key wrapped to their wallet key, kept
 * for their new devices. The DID is the signed-in session's, never a parameter, so one user's session can
 * neither read nor overwrite another's blob (another DID simply has none: 404). The API cannot open
 * the blob; it checks only its shape and that it names the caller, so a blob cannot be filed under
 * someone else. Both reads and writes are audited (who, when; never the blob).
 */
export const keyRoutes: FastifyPluginAsyncTypebox<{ keys: WrappedKeyStore; audit: AuditStore }> = async (app, { keys, audit }) => {
  app.put(
    "/keys/wrapped",
    {
      config: { auth: "signed" },
      schema: {
        summary: "Keep my master key, wrapped to my wallet key, for my new devices",
        tags: ["keys"],
        security: [{ didSession: [] }],
        body: Wrapped,
        response: { 204: Type.Null(), 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { did } = callerOf(request);
      const wrongKind = "this route keeps the copy wrapped to the wallet key; a device's copy goes to PUT /keys/devices/:deviceId";
      const wrapped = await ownCopy(request.body.blob, { kind: "wallet", did, wrongKind }, () =>
        audit.append({ subject: did, action: "keys.wrapped.put", decision: "refused", refs: { reason: "other-did" } }, Date.now()),
      );
      await keys.put(did, request.body.blob, { subject: did, action: "keys.wrapped.put", decision: "accepted", refs: { scheme: wrapped.scheme } }, Date.now());
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/keys/wrapped",
    {
      config: { auth: "signed" },
      schema: {
        summary: "My master key wrapped to my wallet key (to unlock a new device)",
        tags: ["keys"],
        security: [{ didSession: [] }],
        response: { 200: Stored, 401: ProblemSchema, 404: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request) => {
      const { did } = callerOf(request);
      const stored = await keys.get(did);
      await audit.append({ subject: did, action: "keys.wrapped.get", decision: stored ? "allowed" : "refused", refs: stored ? {} : { reason: "none" } }, Date.now());
      if (!stored) throw apiError("WRAPPED_KEY_UNKNOWN", "no wrapped master key is kept for this account");
      return stored;
    },
  );
};
