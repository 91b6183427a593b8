import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { ConsentOpeningSchema } from "@openchart/sdk";
import { Type } from "typebox";
import type { AuditWriter } from "../audit/writer.js";
import type { ConsultAdmission } from "./admission.js";
import { ProblemSchema } from "../errors.js";
import { callerOf } from "../auth/route-auth.js";

export interface ConsultRoutesOptions {
  admission: ConsultAdmission;
  audit: AuditWriter;
}

/**
 * `POST /consults/token`: a LiveKit or Agora room token (API_VIDEO_PROVIDER), for deployments that run an
 * SFU, for a party the admission lets in (admission.ts: active consent from its opening, licensed doctor).
 * The peer-to-peer call needs no token: its socket admits with the same checks (signaling.ts).
 *
 * Deliberately not idempotent (no `Idempotency-Key` replay): a stored token replayed later could
 * outlive a revoked consent; a new token costs one HMAC.
 */
export const consultRoutes: FastifyPluginAsyncTypebox<ConsultRoutesOptions> = async (app, { admission, audit }) => {
  app.post(
    "/consults/token",
    {
      config: { auth: "signed" },
      schema: {
        summary: "A video consult room token for the patient or the (licensed) grantee of an active consent, from its opening",
        tags: ["consults"],
        security: [{ didSession: [] }],
        body: Type.Object({ opening: ConsentOpeningSchema }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            provider: Type.Union([Type.Literal("livekit"), Type.Literal("agora")]),
            room: Type.String(),
            identity: Type.String(),
            token: Type.String(),
            url: Type.String(),
            expiresAt: Type.Integer({ description: "milliseconds since the epoch" }),
          }),
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
          410: ProblemSchema,
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const admitted = await admission.admit(caller, request.body.opening, "consult.token");
      const { rooms } = admission;
      const token = await rooms.mint(admitted.room, rooms.identityOf(admitted.party, caller.did), Date.now());
      const { party, room, link } = admitted;
      await audit.append({ subject: caller.did, action: "consult.token", decision: "allowed", refs: { ...link, party, provider: token.provider, ...(party === "patient" ? { room } : {}) } as Record<string, string> });
      return token;
    },
  );
};
