import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { CidV1, PIN_LIST_LIMIT, PinListSchema, PinRequestSchema, RemotePinSchema, type RemotePin } from "@openchart/sdk";
import { Type } from "typebox";
import { keyDigest, type AuditDraft } from "../audit/log.js";
import { callerOf } from "../auth/route-auth.js";
import { apiError, ProblemSchema } from "../errors.js";
import type { PinRow, PinStore } from "../store/store.js";
import type { PinningConfig } from "./config.js";

const DAY_MS = 86_400_000;

/**
 * `POST /pins`, `GET /pins`, `GET /pins/:cid`, `DELETE /pins/:cid`: a signed-in patient asks the operator's remote
 * pinning service to keep (or drop) one ciphertext, and sees where it stands.
 *
 * Why here and not in the browser or through Kubo's own remote pinning (`ipfs pin remote`): the
 * service's token is a bearer secret of the operator's account, so it must not reach a browser; Kubo's
 * RPC, where it would otherwise live, is an admin API no browser page may call (the local node refuses
 * them its pin endpoints), and the embedded js-ipfs node has no remote pinning at all. The API already
 * verifies the caller, keeps per-DID quotas and a durable store, so the request survives a crash.
 *
 * What the API learns is the CID of a ciphertext, under the caller's DID: never which record it is (the
 * record's header, which names it, is sealed to the patient) nor a title. The service learns the CID, a
 * random name and the configured origins, under the operator's account: no DID, no file name.
 */
export const pinRoutes: FastifyPluginAsyncTypebox<{ pins: PinStore; config: PinningConfig }> = async (app, { pins, config }) => {
  const off = (cid: string): RemotePin => ({ cid, status: "off", attempts: 0, nextAttemptAt: null, reason: null, updatedAt: Date.now() });
  // The CID's digest, not the CID: the entry says a pin was asked, and stays even once the row is gone.
  const audit = (did: string, action: "pin.request" | "pin.unpin", cid: string): AuditDraft => ({ subject: did, action, decision: "accepted", refs: { cid: keyDigest(cid) } });

  app.post(
    "/pins",
    {
      config: { auth: "signed" },
      schema: {
        summary: "Ask the remote pinning service to keep one ciphertext",
        description: `The CID of a ciphertext the caller stored, and nothing else. Stored durably before answering; the API then pins it at the configured service with retries. Asking again for a CID already asked keeps that request (a failed one is queued again). At most ${config.requestsPerDidPerDay} new requests per caller in 24 hours (429). With no service configured: 200 with status "off", nothing stored.`,
        tags: ["pins"],
        security: [{ didSession: [] }],
        body: PinRequestSchema,
        response: { 200: RemotePinSchema, 202: RemotePinSchema, 400: ProblemSchema, 401: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { cid } = request.body;
      if (!config.service) return reply.code(200).send(off(cid));
      const { did } = callerOf(request);
      const now = Date.now();
      const outcome = await pins.request({ subject: did, cid, audit: audit(did, "pin.request", cid), now, quota: { max: config.requestsPerDidPerDay, windowMs: DAY_MS } });
      if (!outcome.accepted) {
        throw apiError("PIN_QUOTA_EXCEEDED", `at most ${config.requestsPerDidPerDay} new pin requests per caller in 24 hours`, { retryAfterSeconds: outcome.retryAfterMs / 1000 });
      }
      return reply.code(202).send(view(outcome.pin));
    },
  );

  app.get(
    "/pins",
    {
      config: { auth: "signed" },
      schema: {
        summary: "My pin requests, newest first",
        description: `The caller's own requests only, at most ${PIN_LIST_LIMIT}: one call for a whole record list. \`service\` is false when no pinning service is configured.`,
        tags: ["pins"],
        security: [{ didSession: [] }],
        response: { 200: PinListSchema, 401: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request) => {
      if (!config.service) return { service: false, pins: [] };
      return { service: true, pins: (await pins.list(callerOf(request).did, PIN_LIST_LIMIT)).map(view) };
    },
  );

  app.get(
    "/pins/:cid",
    {
      config: { auth: "signed" },
      schema: {
        summary: "Where my pin request for one ciphertext stands",
        tags: ["pins"],
        security: [{ didSession: [] }],
        params: Type.Object({ cid: CidV1 }),
        response: { 200: RemotePinSchema, 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request) => {
      const { cid } = request.params;
      if (!config.service) return off(cid);
      // Only the caller's own request: another DID's pin of the same CID is not theirs to see.
      const row = await pins.get(callerOf(request).did, cid);
      if (!row) throw apiError("PIN_UNKNOWN", "you have not asked for this CID to be pinned");
      return view(row);
    },
  );

  app.delete(
    "/pins/:cid",
    {
      config: { auth: "signed" },
      schema: {
        summary: "Ask the remote pinning service to drop one ciphertext (after a key rotation, say)",
        tags: ["pins"],
        security: [{ didSession: [] }],
        params: Type.Object({ cid: CidV1 }),
        response: { 200: RemotePinSchema, 202: RemotePinSchema, 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { cid } = request.params;
      if (!config.service) return reply.code(200).send(off(cid));
      const { did } = callerOf(request);
      const row = await pins.unpin(did, cid, audit(did, "pin.unpin", cid), Date.now());
      if (!row) throw apiError("PIN_UNKNOWN", "you have not asked for this CID to be pinned");
      return reply.code(202).send(view(row));
    },
  );
};

function view(row: PinRow): RemotePin {
  return {
    cid: row.cid,
    status: row.wanted === "unpin" ? "unpinning" : row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    reason: row.reason,
    updatedAt: row.updatedAt,
  };
}
