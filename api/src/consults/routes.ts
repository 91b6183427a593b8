import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { BYTES32_PATTERN } from "@openchart/sdk";
import { Type } from "typebox";
import type { AuditWriter } from "../audit/writer.js";
import type { ConsentReader } from "./consent-reader.js";
import type { Party, RoomTokens } from "./room-tokens.js";
import { apiError, ProblemSchema, type ApiErrorCode } from "../errors.js";
import { callerOf } from "../auth/route-auth.js";

export interface ConsultRoutesOptions {
  consents: ConsentReader;
  rooms: RoomTokens;
  audit: AuditWriter;
  chainId: number;
}

const Closed = { additionalProperties: false };

/**
 * `POST /consults/:consentId/token`: a video room token for the two parties of a consent that is
 * active on chain now, and for the grantee only in a session where they presented a valid license.
 * Every answer, token or refusal, is audited under the patient's DID with its reason.
 *
 * Deliberately not idempotent (no `Idempotency-Key` replay): a stored token replayed later could
 * outlive a revoked consent; a new token costs one HMAC.
 */
export const consultRoutes: FastifyPluginAsyncTypebox<ConsultRoutesOptions> = async (app, { consents, rooms, audit, chainId }) => {
  app.post(
    "/consults/:consentId/token",
    {
      config: { auth: "signed" },
      schema: {
        summary: "A video consult room token for the patient or the (licensed) grantee of an active consent",
        tags: ["consults"],
        security: [{ didSession: [] }],
        params: Type.Object({ consentId: Type.String({ pattern: BYTES32_PATTERN, description: "the ConsentRegistry consent id" }) }, Closed),
        body: Type.Object({}, Closed),
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
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const consentId = request.params.consentId.toLowerCase();
      const consent = await consents.state(consentId);
      // The patient's trail holds the attempts of the consent's parties only; anyone else's refusal is filed
      // under their own (verified) DID, so a stranger naming her consent writes nothing into it (issue 13, item 2).
      const isPatient = consent.patient !== null && caller.address.toLowerCase() === consent.patient;
      const isGrantee = consent.patient !== null && !isPatient && (await consents.isGrantee(consentId, consent.patient, caller.address));
      const subject = isPatient || isGrantee ? `did:pkh:eip155:${chainId}:${consent.patient}` : caller.did;
      const refuse = async (code: ApiErrorCode, reason: string, detail: string): Promise<never> => {
        await audit.append({ subject, action: "consult.token", decision: "refused", refs: { consentId, by: caller.did, reason } });
        throw apiError(code, detail);
      };
      const now = Date.now();
      if (consent.status === "none" || !consent.patient) {
        const revoked = await consents.wasRevoked(consentId);
        return revoked
          ? refuse("CONSENT_INACTIVE", "consent-revoked", `consent ${consentId} was revoked by the patient`)
          : refuse("CONSENT_INACTIVE", "consent-unknown", `there is no consent ${consentId} on chain`);
      }
      // Compared with the clock on every request, cached state or not: one second late is too late.
      if (consent.expiresAt * 1000 <= now) {
        return refuse("CONSENT_INACTIVE", "consent-expired", `consent ${consentId} expired at ${new Date(consent.expiresAt * 1000).toISOString()}`);
      }
      let party: Party;
      if (isPatient) party = "patient";
      else if (isGrantee) {
        if (!caller.roles.has("doctor")) {
          return refuse(
            "LICENSE_REQUIRED",
            "license-required",
            "the grantee joins a consult only as a doctor: present your license in this session first (POST /licenses/presentations)",
          );
        }
        party = "doctor";
      } else return refuse("NOT_CONSENT_PARTY", "not-a-party", `${caller.did} is neither the patient nor the grantee of consent ${consentId}`);
      const room = rooms.roomOf(consentId);
      const token = await rooms.mint(room, rooms.identityOf(party, caller.did), now);
      await audit.append({ subject, action: "consult.token", decision: "allowed", refs: { consentId, by: caller.did, party, room, provider: token.provider } });
      return token;
    },
  );
};
