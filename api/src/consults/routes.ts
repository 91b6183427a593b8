import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Address, Bytes32, Did, parseConsentOpening, type ConsentOpening } from "@openchart/sdk";
import { Type } from "typebox";
import type { AuditWriter } from "../audit/writer.js";
import type { ConsentReader } from "./consent-reader.js";
import type { Party, RoomTokens } from "./room-tokens.js";
import { apiError, ProblemSchema, type ApiErrorCode } from "../errors.js";
import { callerOf } from "../auth/route-auth.js";
import { normalizeDid, type LicensedSessions } from "../licenses/licensed-sessions.js";

export interface ConsultRoutesOptions {
  consents: ConsentReader;
  rooms: RoomTokens;
  audit: AuditWriter;
  /** This deployment's ConsentRegistry: an opening for another chain or registry is refused. */
  registry: { chainId: number; contract: string };
  /** Tells a revoked license from none presented; absent (no license routes): every grantee needs one. */
  licensed?: Pick<LicensedSessions, "doctor">;
}

const Closed = { additionalProperties: false };

/** A consent's opening (sdk `ConsentOpening`), as the parties hold it inside their encrypted grant. */
const Opening = Type.Object(
  {
    v: Type.Literal(2),
    chainId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    registry: Address,
    patient: Did,
    grantee: Did,
    recordIds: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 1000 }),
    salt: Bytes32,
    revoker: Address,
  },
  { ...Closed, description: "the consent's opening: its hash with the revoker is the consent ID on chain" },
);

/**
 * `POST /consults/token`: a video room token for a party of a consent that is active on chain now; the
 * grantee only in a session where they presented a valid license. The caller presents the consent's
 * opening: it names the two parties, and its hash is the consent ID, so the chain confirms both the
 * parties and the consent in one read, and an opening that was altered matches no consent.
 *
 * Audit: each decision is filed under the caller's own DID. The patient's entries carry the consent ID;
 * the grantee's carry neither the consent ID nor the room (both would join the two parties' entries), so
 * the log never holds who shares with whom. A stranger's attempt writes nothing into a party's trail.
 *
 * Deliberately not idempotent (no `Idempotency-Key` replay): a stored token replayed later could
 * outlive a revoked consent; a new token costs one HMAC.
 */
export const consultRoutes: FastifyPluginAsyncTypebox<ConsultRoutesOptions> = async (app, { consents, rooms, audit, registry, licensed }) => {
  const registryAddress = registry.contract.toLowerCase();
  app.post(
    "/consults/token",
    {
      config: { auth: "signed" },
      schema: {
        summary: "A video consult room token for the patient or the (licensed) grantee of an active consent, from its opening",
        tags: ["consults"],
        security: [{ didSession: [] }],
        body: Type.Object({ opening: Opening }, Closed),
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
      let opening: ConsentOpening;
      try {
        opening = parseConsentOpening(request.body.opening);
      } catch (error) {
        throw apiError("INVALID_REQUEST", `body/opening ${(error as Error).message}`);
      }
      const me = normalizeDid(caller.did);
      const party: Party | undefined = me === normalizeDid(opening.patient) ? "patient" : me === normalizeDid(opening.grantee) ? "doctor" : undefined;
      const consentId = consents.idOf(opening);
      // Only the patient's entries name the consent (see above); details name no DID either.
      const link: Record<string, string> = party === "patient" ? { consentId } : {};
      const refuse = async (code: ApiErrorCode, detail: string): Promise<never> => {
        await audit.append({ subject: caller.did, action: "consult.token", decision: "refused", refs: { ...link, ...(party ? { party } : {}), reason: code } as Record<string, string> });
        throw apiError(code, detail);
      };
      if (!party) return refuse("NOT_CONSENT_PARTY", "the caller is neither the patient nor the grantee the opening names");
      if (opening.chainId !== registry.chainId || opening.registry.toLowerCase() !== registryAddress) {
        return refuse("WRONG_DEPLOYMENT", `the opening is for ConsentRegistry ${opening.registry} on chain ${opening.chainId}; this API serves ${registry.contract} on chain ${registry.chainId}`);
      }
      const consent = await consents.state(consentId);
      const now = Date.now();
      if (consent.status === "none") return refuse("CONSENT_UNKNOWN", "no consent on chain matches this opening");
      if (consent.status === "revoked") return refuse("CONSENT_REVOKED", "the patient revoked this consent");
      // Compared with the clock on every request, cached state or not: one second late is too late.
      if (consent.status === "expired" || consent.expiresAt * 1000 <= now) {
        return refuse("CONSENT_EXPIRED", `the consent expired at ${new Date(consent.expiresAt * 1000).toISOString()}`);
      }
      if (party === "doctor" && !caller.roles.has("doctor")) {
        const standing = await licensed?.doctor(caller.did);
        if (standing && !standing.ok) return refuse("LICENSE_REVOKED", "the license presented for this DID was revoked or suspended by its issuer");
        return refuse("LICENSE_REQUIRED", "the grantee joins a consult only as a doctor: present your license in this session first (POST /licenses/presentations)");
      }
      const room = rooms.roomOf(consentId);
      const token = await rooms.mint(room, rooms.identityOf(party, caller.did), now);
      await audit.append({ subject: caller.did, action: "consult.token", decision: "allowed", refs: { ...link, party, provider: token.provider, ...(party === "patient" ? { room } : {}) } as Record<string, string> });
      return token;
    },
  );
};
