import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Did, DoctorProfileSchema, DoctorSchema } from "@openchart/sdk";
import { Type, type Static } from "typebox";
import { assembleEip712Presentation, eip712PresentationTypedData, verifyDoctorPresentation, type Eip712PresentationTypedData } from "@openchart/agent";
import type { Store } from "../store/store.js";
import { apiError, ProblemSchema } from "../errors.js";
import type { LicenseAgent } from "./license-agent.js";
import { normalizeDid, refusalDetail, type LicensedSessions } from "./licensed-sessions.js";
import { directoryEntryOf } from "../directory/entry.js";
import { hiddenReasonOf } from "../directory/recheck.js";
import { heldLicenseOf, jwtPayload, type HeldLicense } from "./license-status.js";
import { Jwt, PresentationTypedData } from "./schemas.js";
import { callerOf } from "../auth/route-auth.js";

export interface PresentationRoutesOptions {
  licensing: LicenseAgent;
  licensed: LicensedSessions;
  store: Store;
  /** The verifier's domain in presentations: this API's audience. */
  domain: string;
}

const Closed = { additionalProperties: false };
const Signature = Type.String({ pattern: "^0x[0-9a-fA-F]{130}$", description: "65-byte eth_signTypedData_v4 signature" });

/**
 * A doctor proves their license once per session: `POST /licenses/challenges` hands out a single-use
 * challenge and the EIP-712 presentation for the wallet to sign, `POST /licenses/presentations` has the
 * agent verify it completely (signature, challenge, domain, each credential's signature, validity,
 * status, issuer and subject) and makes the caller's session a doctor's. `GET /doctors/:did` lets a
 * patient see who a doctor is before sharing anything, the status re-checked.
 */
export const presentationRoutes: FastifyPluginAsyncTypebox<PresentationRoutesOptions> = async (app, options) => {
  const { licensing, licensed, store, domain } = options;
  const { agent } = licensing;

  app.post(
    "/licenses/challenges",
    {
      config: { idempotent: true, auth: "signed" },
      schema: {
        summary: "A single-use challenge and the EIP-712 presentation of a license for the caller's wallet to sign",
        tags: ["licenses"],
        security: [{ didSession: [] }],
        body: Type.Object({ credential: Jwt }, Closed),
        response: {
          200: Type.Object({
            challenge: Type.String(),
            domain: Type.String(),
            expiresAt: Type.Integer({ description: "milliseconds since the epoch" }),
            typedData: PresentationTypedData,
          }),
          400: ProblemSchema,
          401: ProblemSchema,
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const issued = await agent.challenges.issue(domain);
      const typedData = eip712PresentationTypedData({
        holder: caller.did,
        verifiableCredential: [request.body.credential],
        challenge: issued.challenge,
        domain,
        chainId: caller.chainId,
      });
      // The agent types the message loosely; its shape is the one PresentationTypedData describes.
      return { challenge: issued.challenge, domain, expiresAt: issued.expiresAt.getTime(), typedData: typedData as unknown as Static<typeof PresentationTypedData> };
    },
  );

  app.post(
    "/licenses/presentations",
    {
      config: { auth: "signed" },
      schema: {
        summary: "Present a license (wallet-signed EIP-712, or a VP JWT); on success this session holds role doctor",
        tags: ["licenses"],
        security: [{ didSession: [] }],
        body: Type.Union([Type.Object({ typedData: PresentationTypedData, signature: Signature }, Closed), Type.Object({ presentation: Jwt }, Closed)]),
        response: { 200: Type.Object({ doctor: DoctorSchema }), 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const parsed = presentationOf(request.body);
      const refuse = async (reasons: { code: string; message: string }[]): Promise<never> => {
        await store.audit.append(
          { subject: caller.did, action: "license.present", decision: "refused", refs: { session: caller.sessionKey, reasons: reasons.map((r) => r.code) } },
          Date.now(),
        );
        throw apiError("LICENSE_REFUSED", reasons.map((r) => `${r.code}: ${r.message}`).join("; "));
      };
      if (normalizeDid(parsed.holder) !== normalizeDid(caller.did)) {
        return refuse([{ code: "HOLDER_NOT_CALLER", message: `the presentation is held by ${parsed.holder}, but ${caller.did} signed this request` }]);
      }
      const verdict = await verifyDoctorPresentation(agent, parsed.vp, {
        challenge: parsed.challenge,
        domain,
        // The chain sign-in admits (the API's deployment): the one the challenge's typed data names.
        chainId: caller.chainId,
        trustedIssuers: licensing.trustedIssuers,
        challengeStore: agent.challenges,
      });
      if (!verdict.ok || !verdict.doctor) return refuse(verdict.reasons);
      const licenses = parsed.credentials.map(heldLicenseOf).filter((license): license is HeldLicense => license !== null);
      if (licenses.length === 0 || licenses.length !== parsed.credentials.length) return refuse([{ code: "MALFORMED_CREDENTIAL", message: "a credential has no id, issuer or expiry" }]);
      const presentedAt = Date.now();
      await licensed.record(caller, { doctor: verdict.doctor, licenses, presentedAt }, {
        subject: caller.did,
        action: "license.present",
        decision: "accepted",
        refs: { session: caller.sessionKey, credentials: licenses.map((l) => l.id) },
      });
      // A listed doctor's entry follows their newest license (a new name, specialty or jurisdiction).
      const listed = await store.directory.get(caller.did);
      if (listed) {
        const entry = directoryEntryOf({ ok: true, verified: { doctor: verdict.doctor, licenses, presentedAt }, checkedAt: presentedAt }, Date.parse(listed.entry.listedAt));
        if (entry) await store.directory.list(entry, { subject: normalizeDid(caller.did), action: "directory.list", decision: "accepted", refs: { after: "license.present" } }, presentedAt);
      }
      return { doctor: verdict.doctor };
    },
  );

  app.get(
    "/doctors/:did",
    {
      schema: {
        summary: "A doctor's standing presentation (their last verified license), its status re-checked now: whether the doctor is online or not",
        tags: ["licenses"],
        params: Type.Object({ did: Did }, Closed),
        response: {
          200: DoctorProfileSchema,
          400: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const standing = await licensed.doctor(request.params.did);
      if (!standing) throw apiError("NOT_FOUND", `${request.params.did} has not presented a license to this API`);
      const listed = await store.directory.get(normalizeDid(request.params.did));
      if (!standing.ok) {
        // The directory hides them at once, not at the next background pass.
        if (listed && listed.hidden === null) await store.directory.setHidden(listed.entry.did, hiddenReasonOf(standing), Date.now());
        throw apiError("LICENSE_REFUSED", refusalDetail(standing));
      }
      return {
        doctor: standing.verified.doctor,
        verifiedAt: new Date(standing.checkedAt).toISOString(),
        presentedAt: new Date(standing.verified.presentedAt).toISOString(),
        listed: listed !== null,
      };
    },
  );
};

interface ParsedPresentation {
  vp: unknown;
  holder: string;
  challenge: string;
  credentials: string[];
}

/** The presentation to verify, and what the route needs from it before the agent has looked. */
function presentationOf(body: { typedData: unknown; signature: string } | { presentation: string }): ParsedPresentation {
  if ("typedData" in body) {
    const typed = body.typedData as Eip712PresentationTypedData;
    const message = typed.message as { holder: string; verifiableCredential: string[]; proof: { challenge: string } };
    return { vp: assembleEip712Presentation(typed, body.signature), holder: message.holder, challenge: message.proof.challenge, credentials: message.verifiableCredential };
  }
  const payload = jwtPayload(body.presentation) as { iss?: unknown; nonce?: unknown; vp?: { verifiableCredential?: unknown } } | null;
  if (!payload || typeof payload.iss !== "string" || typeof payload.nonce !== "string") {
    throw apiError("INVALID_REQUEST", "presentation must be a VP JWT with an issuer (iss) and the challenge as nonce");
  }
  const embedded = payload.vp?.verifiableCredential;
  const credentials = (Array.isArray(embedded) ? embedded : [embedded])
    .map((item: unknown) => (typeof item === "string" ? item : (item as { proof?: { jwt?: unknown } } | null)?.proof?.jwt))
    .filter((item): item is string => typeof item === "string");
  return { vp: body.presentation, holder: payload.iss, challenge: payload.nonce, credentials };
}
