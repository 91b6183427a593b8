import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Did, DoctorName, LicenseSummarySchema, type LicenseSummary, type NotificationKind } from "@openchart/sdk";
import { Type } from "typebox";
import {
  AgentError,
  LICENSE_TYPE,
  MAX_LICENSE_YEARS,
  licenseTypeOf,
  issueLicense,
  listLicenses,
  reinstateLicense,
  revokeLicense,
  specialtyFor,
  suspendLicense,
  statusListCredential,
  type Specialty,
} from "@openchart/agent";
import type { AuditAction, AuditDraft } from "../audit/log.js";
import type { Store } from "../store/store.js";
import { apiError, ProblemSchema } from "../errors.js";
import type { LicenseAgent } from "./license-agent.js";
import { normalizeDid } from "./licensed-sessions.js";
import type { LicenseStatusCache } from "./license-status.js";
import { IsoDate, IssuedLicense } from "./schemas.js";
import { callerOf } from "../auth/route-auth.js";

export interface LicenseRoutesOptions {
  licensing: LicenseAgent;
  status: LicenseStatusCache;
  store: Store;
}

const Closed = { additionalProperties: false };
const IssueBody = Type.Object(
  {
    subject: Did,
    name: DoctorName,
    licenseNumber: Type.String({ minLength: 1, maxLength: 64 }),
    specialty: Type.Union([
      Type.String({ pattern: "^[A-Za-z0-9.-]{1,32}$", description: "a SNOMED CT practice-setting code the agent knows" }),
      Type.Object(
        { code: Type.String({ pattern: "^[A-Za-z0-9.-]{1,32}$" }), label: Type.String({ minLength: 1, maxLength: 100 }), system: Type.Optional(Type.String({ maxLength: 200 })) },
        Closed,
      ),
    ]),
    jurisdiction: Type.String({ minLength: 1, maxLength: 64 }),
    validFrom: Type.Optional(IsoDate),
    validUntil: Type.String({ ...IsoDate, description: `ISO 8601 date and time, at most ${MAX_LICENSE_YEARS} years after validFrom` }),
    type: Type.Optional(
      Type.Union([Type.Literal("MedicalLicenseCredential"), Type.Literal("PharmacistLicenseCredential")], { description: "a doctor's license (default) or a pharmacist's" }),
    ),
    reissue: Type.Optional(
      Type.Boolean({ description: "issue although this doctor already holds a live license with this number (a replacement); otherwise 409 LICENSE_EXISTS" }),
    ),
  },
  Closed,
);
/** The credential a revoke, suspend or reinstate is about. */
const LicenseIdParams = Type.Object({ id: Type.String({ pattern: "^urn:uuid:[0-9a-f-]{36}$", description: "the credential id" }) }, Closed);
/** What a revoke, suspend or reinstate answers: the license in its new state, or why not. */
const LicenseChangeAnswers = { 200: Type.Object({ license: LicenseSummarySchema }), 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/**
 * The issuer's side of licensing (issue, list, revoke: role issuer, from API_ISSUER_DIDS), a doctor's
 * own credentials, and the public status lists verifiers read. Every issuer decision is audited
 * under the doctor's DID.
 */
export const licenseRoutes: FastifyPluginAsyncTypebox<LicenseRoutesOptions> = async (app, { licensing, status, store }) => {
  const { agent, issuer } = licensing;
  const audit = (subject: string, action: AuditAction, decision: AuditDraft["decision"], refs: AuditDraft["refs"]) =>
    store.audit.append({ subject, action, decision, refs }, Date.now());
  /** An issuer's accepted decision, audited, and told to the doctor it is about in the same transaction. */
  const auditAndNotify = (subject: string, action: AuditAction, refs: AuditDraft["refs"], kind: NotificationKind | undefined) =>
    store.recovery.run(async (tx) => {
      tx.audit({ subject, action, decision: "accepted", refs });
      if (kind) tx.notify(subject, { kind, ...(typeof refs.credential === "string" ? { credential: refs.credential } : {}) });
    }, Date.now());

  app.post(
    "/licenses",
    {
      config: { idempotent: true, auth: "issuer" },
      schema: {
        summary: "Issue a MedicalLicenseCredential to a doctor (role issuer)",
        tags: ["licenses"],
        security: [{ didSession: [] }],
        body: IssueBody,
        response: { 201: IssuedLicense, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = request.body;
      const specialty = specialtyOf(body.specialty);
      const subject = normalizeDid(body.subject);
      const validFrom = body.validFrom ? new Date(body.validFrom) : new Date();
      const type = body.type ?? LICENSE_TYPE;
      const input = { subject, name: body.name.trim(), licenseNumber: body.licenseNumber, specialty, jurisdiction: body.jurisdiction, validFrom, validUntil: new Date(body.validUntil), type };
      // The same number issued again to the same doctor is most often a slip (a double submit, a
      // copied form): refused unless the issuer says it is a replacement.
      const live = (await listLicenses(agent, issuer)).find(
        (l) => l.subject === subject && l.type === type && l.licenseNumber === input.licenseNumber.trim() && l.state !== "revoked" && l.state !== "expired",
      );
      if (live && body.reissue !== true) {
        await audit(subject, "license.issue", "refused", { by: caller.did, reason: "license-exists", existing: live.id });
        throw apiError("LICENSE_EXISTS", `${subject} already holds license ${live.licenseNumber} (${live.id}, ${live.state}): revoke it, or send "reissue": true to issue a replacement`);
      }
      const issued = await issueLicense(agent, issuer, input).catch(agentProblem);
      await audit(subject, "license.issue", "accepted", { by: caller.did, credential: issued.id, ...(live ? { reissueOf: live.id } : {}) });
      const now = Date.now();
      const license: LicenseSummary = {
        id: issued.id,
        type,
        subject,
        name: input.name,
        licenseNumber: input.licenseNumber.trim(),
        specialty,
        jurisdiction: input.jurisdiction.trim(),
        validFrom: validFrom.toISOString(),
        validUntil: input.validUntil.toISOString(),
        state: validFrom.getTime() > now ? "not_yet_valid" : "active",
      };
      return reply.code(201).send({ id: issued.id, jwt: issued.jwt, license });
    },
  );

  app.get(
    "/licenses",
    {
      config: { auth: "issuer" },
      schema: {
        summary: "Every license this API's issuer issued, with its state now (role issuer)",
        tags: ["licenses"],
        security: [{ didSession: [] }],
        response: { 200: Type.Object({ issuer: Type.String(), licenses: Type.Array(LicenseSummarySchema) }), 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async () => {
      return { issuer, licenses: await listLicenses(agent, issuer) };
    },
  );

  /** A license this API's issuer issued, or 404. */
  const issuedLicense = async (id: string): Promise<LicenseSummary> => {
    const license = (await listLicenses(agent, issuer)).find((candidate) => candidate.id === id);
    if (!license) throw apiError("NOT_FOUND", `no credential ${id} issued by this API's issuer`);
    return license;
  };

  app.post(
    "/licenses/:id/revoke",
    {
      config: { auth: "issuer" },
      schema: {
        summary: "Revoke a license for good (role issuer); sessions presenting it lose role doctor at once",
        tags: ["licenses"],
        security: [{ didSession: [] }],
        params: LicenseIdParams,
        // Revocation is final: the issuer states why, and the reason stays in the audit log.
        body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 500, pattern: "\\S", description: "why the license is revoked (kept in the audit log)" }) }, Closed),
        response: LicenseChangeAnswers,
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { id } = request.params;
      const license = await issuedLicense(id);
      const changed = await revokeLicense(agent, id).catch(agentProblem);
      // Trust in earlier status checks ends now, for every licensed session of this API.
      status.forget();
      const refs = { by: caller.did, credential: id, changed: changed ? "revoked" : "already revoked", reason: request.body.reason.trim() };
      await auditAndNotify(license.subject, "license.revoke", refs, changed ? "license.revoked" : undefined);
      return { license: { ...license, state: "revoked" as const } };
    },
  );

  // Suspension is the reversible stop (an inquiry, a lapse in paperwork): the doctor loses role doctor, their
  // app stops opening patients' records, and they leave the directory until the issuer reinstates the license;
  // patients are refused sharing with them with the reason. The doctor is told either way.
  for (const [verb, change, kind] of [
    ["suspend", suspendLicense, "license.suspended"],
    ["reinstate", reinstateLicense, "license.reinstated"],
  ] as const) {
    app.post(
      `/licenses/:id/${verb}`,
      {
        config: { auth: "issuer" },
        schema: {
          summary: verb === "suspend" ? "Suspend a license until it is reinstated (role issuer)" : "Lift a license's suspension (role issuer)",
          tags: ["licenses"],
          security: [{ didSession: [] }],
          params: LicenseIdParams,
          // Unlike revocation, the reason is optional: a suspension is undone by the same issuer.
          body: Type.Object(
            { reason: Type.Optional(Type.String({ minLength: 3, maxLength: 500, pattern: "\\S", description: "why (kept in the audit log)" })) },
            Closed,
          ),
          response: LicenseChangeAnswers,
        },
      },
      async (request) => {
        const caller = callerOf(request);
        const { id } = request.params;
        const license = await issuedLicense(id);
        if (license.state === "revoked") throw apiError("LICENSE_REVOKED", `license ${license.licenseNumber} is revoked, which is final: issue a new one`);
        const changed = await change(agent, id).catch(agentProblem);
        status.forget();
        const reason = request.body?.reason?.trim();
        const refs = { by: caller.did, credential: id, changed: changed ? "yes" : "no", ...(reason ? { reason } : {}) };
        await auditAndNotify(license.subject, `license.${verb}`, refs, changed ? kind : undefined);
        // Its state now, from the status list just written (a reinstated license may have expired meanwhile).
        return { license: (await listLicenses(agent, issuer)).find((candidate) => candidate.id === id) ?? license };
      },
    );
  }

  app.get(
    "/licenses/mine",
    {
      config: { auth: "signed" },
      schema: {
        summary: "The license credentials this API's issuer issued to the caller",
        tags: ["licenses"],
        security: [{ didSession: [] }],
        response: { 200: Type.Object({ licenses: Type.Array(IssuedLicense) }), 401: ProblemSchema },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const me = normalizeDid(caller.did);
      const rows = await agent.veramo.dataStoreORMGetVerifiableCredentials({ where: [{ column: "subject", value: [me, caller.did] }] });
      const summaries = new Map((await listLicenses(agent, issuer)).map((summary) => [summary.id, summary]));
      const licenses = rows.flatMap(({ verifiableCredential: vc }) => {
        const license = summaries.get(vc.id as string);
        if (!licenseTypeOf(vc) || !license) return [];
        return [{ id: license.id, jwt: vc.proof.jwt as string, license }];
      });
      return { licenses };
    },
  );

  app.get(
    "/credentials/status/:listId",
    {
      schema: {
        summary: "A Bitstring Status List credential (compact JWT), as verifiers fetch it",
        tags: ["licenses"],
        params: Type.Object({ listId: Type.String({ maxLength: 80 }) }, Closed),
        response: { 200: Type.String({ description: "application/vc+jwt" }), 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const jwt = await statusListCredential(agent, request.params.listId);
      if (jwt === null) throw apiError("NOT_FOUND", `no status list ${request.params.listId}`);
      // Verifiers may cache a list briefly; a revocation shows within this many seconds.
      return reply.type("application/vc+jwt").header("cache-control", "public, max-age=30").send(jwt);
    },
  );
};

function specialtyOf(input: string | { code: string; label: string; system?: string }): Specialty {
  if (typeof input !== "string") return { system: input.system ?? "http://snomed.info/sct", code: input.code, label: input.label.trim() };
  const known = specialtyFor(input);
  if (!known) throw apiError("INVALID_REQUEST", `specialty ${input} is not a code the agent knows: send { code, label } instead`);
  return known;
}

/** The agent's coded errors, as problems. */
function agentProblem(error: unknown): never {
  if (error instanceof AgentError) {
    if (error.code === "INVALID_INPUT") throw apiError("INVALID_REQUEST", error.message);
    if (error.code === "CREDENTIAL_NOT_FOUND" || error.code === "STATUS_LIST_NOT_FOUND") throw apiError("NOT_FOUND", error.message);
  }
  throw error;
}
