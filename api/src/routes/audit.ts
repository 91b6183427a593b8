import { timingSafeEqual, createHash } from "node:crypto";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { Store } from "../db.js";
import { apiError, ProblemSchema } from "../errors.js";

const Entry = Type.Object({
  seq: Type.Integer(),
  at: Type.Integer({ description: "milliseconds since the epoch" }),
  subject: Type.String(),
  action: Type.String(),
  decision: Type.String(),
  refs: Type.Record(Type.String(), Type.Unknown()),
  prevHash: Type.String(),
  hash: Type.String(),
});

/**
 * `GET /audit`: the hash-chained decisions about one subject. Until sign-in exists only the
 * operator may read it, with `Authorization: Bearer <API_ADMIN_TOKEN>`; with no token configured
 * the route is closed.
 */
export const auditRoutes: FastifyPluginAsyncTypebox<{ store: Store; adminToken: string | undefined }> = async (app, { store, adminToken }) => {
  app.get(
    "/audit",
    {
      schema: {
        summary: "Audit entries about a subject (admin token)",
        tags: ["audit"],
        security: [{ adminToken: [] }],
        querystring: Type.Object({
          subject: Type.String({ minLength: 1, maxLength: 200 }),
          after: Type.Integer({ minimum: 0, default: 0, description: "only entries with seq above this" }),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: { 200: Type.Object({ entries: Type.Array(Entry) }), 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => {
      const { subject, after, limit } = request.query;
      const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
      if (adminToken === undefined) throw apiError("FORBIDDEN", "the audit log is closed: API_ADMIN_TOKEN is not configured");
      if (presented === undefined) throw apiError("UNAUTHORIZED", "send Authorization: Bearer <admin token>");
      if (!sameSecret(presented, adminToken)) {
        await store.appendAudit({ subject, action: "audit.read", decision: "refused", refs: { reason: "bad-admin-token" } }, Date.now());
        throw apiError("FORBIDDEN", "the admin token is not valid");
      }
      const entries = await store.auditEntries({ subject, afterSeq: after, limit });
      await store.appendAudit({ subject, action: "audit.read", decision: "allowed", refs: { by: "admin", entries: entries.length } }, Date.now());
      return { entries };
    },
  );
};

/** Constant-time comparison of equal-length digests, so timing reveals nothing about the token. */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
