import { bearerOf, sameSecret } from "../auth/same-secret.js";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { AuditHeadsSchema, type Hex } from "@openchart/sdk";
import type { Store } from "../store/store.js";
import { publishedHeads } from "./heads.js";
import { apiError, ProblemSchema } from "../errors.js";
import { anonymousOrigin, type IpHasher } from "./anonymous.js";

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
 * `GET /audit`: the hash-chained decisions about one subject. A signed-in patient reads the entries
 * about themselves (a request signed with their did-session); the operator reads any subject with
 * `Authorization: Bearer <API_ADMIN_TOKEN>` (with no token configured, that way is closed).
 */
export const auditRoutes: FastifyPluginAsyncTypebox<{
  store: Pick<Store, "audit" | "leaves">;
  adminToken: string | undefined;
  chain: { chainId: number; contract: Hex };
  hashIp: IpHasher;
}> = async (app, { store, adminToken, chain, hashIp }) => {
  const { audit } = store;
  // Public, with no sign-in: an auditor checks these against the chain (`openchart audit verify --api`)
  // without access to the database. Hashes and receipts only: no entry contents, no subjects.
  app.get(
    "/audit/heads",
    {
      schema: {
        summary: "Every audit head folded into a batch, with its receipt (no entry contents, no subjects)",
        tags: ["audit"],
        response: { 200: AuditHeadsSchema },
      },
    },
    async () => ({ chainId: chain.chainId, contract: chain.contract, heads: await publishedHeads(store) }),
  );

  app.get(
    "/audit",
    {
      // A signed request reads its own subject; an unsigned one needs the admin token.
      config: { auth: "optional" },
      schema: {
        summary: "Audit entries about a subject (the subject signed in, an administrator, or the admin token)",
        tags: ["audit"],
        security: [{ adminToken: [] }, { didSession: [] }],
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
      const { caller } = request;
      if (caller) {
        // An administrator (API_ADMIN_DIDS) reads any subject, as the operator's token does; the read is audited all the same.
        if (caller.did.toLowerCase() !== subject.toLowerCase() && !caller.roles.has("admin")) {
          // Filed under the verified caller, not under the subject they asked for: a stranger's attempts do not
          // write into a patient's trail (issue 13, item 2).
          await audit.append({ subject: caller.did, action: "audit.read", decision: "refused", refs: { target: subject, reason: "not-own-subject" } }, Date.now());
          throw apiError("FORBIDDEN", "a signed-in caller reads only the audit entries about themselves (administrators: any subject)");
        }
        const own = await audit.entries({ subject, afterSeq: after, limit });
        await audit.append({ subject, action: "audit.read", decision: "allowed", refs: { by: caller.did, entries: own.length } }, Date.now());
        return { entries: own };
      }
      const presented = bearerOf(request.headers.authorization);
      if (presented === undefined) {
        throw apiError("UNAUTHORIZED", "sign the request with your did-session (Authorization: DIDSession ...), or send Authorization: Bearer <admin token>");
      }
      if (adminToken === undefined) throw apiError("FORBIDDEN", "the operator's way in is closed: API_ADMIN_TOKEN is not configured");
      if (!sameSecret(presented, adminToken)) {
        // Unverified: `anonymous` and a salted tag of the address, never the subject the request names.
        const { subject: anonymous, ipHash } = anonymousOrigin(request, hashIp);
        await audit.append({ subject: anonymous, action: "audit.read", decision: "refused", refs: { reason: "bad-admin-token", ipHash } }, Date.now());
        throw apiError("FORBIDDEN", "the admin token is not valid");
      }
      const entries = await audit.entries({ subject, afterSeq: after, limit });
      await audit.append({ subject, action: "audit.read", decision: "allowed", refs: { by: "admin", entries: entries.length } }, Date.now());
      return { entries };
    },
  );
};
