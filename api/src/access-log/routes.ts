import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  AccessLogReadBodySchema,
  AccessLogSchema,
  AccessReportBodySchema,
  mailboxOfToken,
  type AccessLogEntry,
  type SealedReport,
} from "@openchart/sdk";
import { Type } from "typebox";
import { callerOf } from "../auth/route-auth.js";
import { apiError, ProblemSchema } from "../errors.js";
import type { LicensedSessions } from "../licenses/licensed-sessions.js";
import type { Store } from "../store/store.js";

const REPORT_ACTION = "access.report";
const READ_LIMIT = 500;

/** The audit subject a mailbox's reports are filed under: opaque, never a DID. */
const subjectOf = (mailbox: string) => `mailbox:${mailbox}`;

/**
 * The access log (docs/privacy.md, "The access log"). A doctor's app reports each record it opens:
 * `POST /access-log/reports`, signed by the doctor's session, which must hold role doctor now (a suspended
 * or revoked license is refused, and the app then does not open the record). The report is sealed to the
 * patient and filed in the hash-chained audit log under the patient's opaque mailbox, with the session's
 * DID as its reporter (never one from the body). `POST /access-log/read` returns a mailbox's reports to
 * whoever presents its read token, which only the patient's key derives; it needs no session, so the API
 * does not learn which account a mailbox belongs to.
 */
export const accessLogRoutes: FastifyPluginAsyncTypebox<{ store: Pick<Store, "audit">; licensed: Pick<LicensedSessions, "doctor"> | undefined }> = async (
  app,
  { store, licensed },
) => {
  app.post(
    "/access-log/reports",
    {
      config: { auth: "signed" },
      schema: {
        summary: "Report opening a shared record, sealed to its patient (role doctor)",
        tags: ["access-log"],
        security: [{ didSession: [] }],
        body: AccessReportBodySchema,
        response: {
          201: Type.Object({ seq: Type.Integer(), at: Type.Integer() }),
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          429: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      if (!caller.roles.has("doctor")) {
        const standing = await licensed?.doctor(caller.did);
        const reason = standing && !standing.ok ? "license-revoked-or-suspended" : "no-license-in-session";
        // Filed under the caller: a refused report writes nothing into the patient's mailbox.
        await store.audit.append({ subject: caller.did, action: REPORT_ACTION, decision: "refused", refs: { reason } }, Date.now());
        if (standing && !standing.ok) throw apiError("LICENSE_REVOKED", "your license was suspended or revoked by its issuer: patients' records are not opened while it is");
        throw apiError("LICENSE_REQUIRED", "only a doctor reports opening a record: present your license in this session first (POST /licenses/presentations)");
      }
      const { mailbox, report } = request.body;
      const entry = await store.audit.append(
        { subject: subjectOf(mailbox), action: REPORT_ACTION, decision: "accepted", refs: { by: caller.did, report: JSON.stringify(report) } },
        Date.now(),
      );
      return reply.code(201).send({ seq: entry.seq, at: entry.at });
    },
  );

  app.post(
    "/access-log/read",
    {
      schema: {
        summary: "The reports in a mailbox, for the holder of its read token (oldest first)",
        tags: ["access-log"],
        body: AccessLogReadBodySchema,
        response: { 200: AccessLogSchema, 400: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request) => {
      const { token, after } = request.body;
      const found = await store.audit.entries({ subject: subjectOf(mailboxOfToken(token)), afterSeq: after ?? 0, limit: READ_LIMIT });
      const entries = found.flatMap((e): AccessLogEntry[] =>
        e.action === REPORT_ACTION && e.decision === "accepted" && typeof e.refs.by === "string" && typeof e.refs.report === "string"
          ? [{ seq: e.seq, at: e.at, by: e.refs.by, report: JSON.parse(e.refs.report) as SealedReport }]
          : [],
      );
      return { entries };
    },
  );
};
