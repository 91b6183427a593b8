import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Bytes32, LeafStateSchema, SubmitResultSchema } from "@openchart/sdk";
import { Type } from "typebox";
import { uniqueLeaves, type AnchorQueue } from "./queue.js";
import { ProblemSchema } from "../errors.js";
import { IDEMPOTENCY_HEADER, type IdempotentRoute } from "../plugins/idempotency.js";
import { callerOf } from "../auth/route-auth.js";


/**
 * A retry names the same leaves, in any order or case; the replayed answer says it is one (`replayed`),
 * as the sdk's anchor client reports it.
 */
const replayableSubmission: IdempotentRoute = {
  fingerprint: (request) => {
    const body = request.body as { leaves: string[] };
    return { leaves: uniqueLeaves(body.leaves).sort() };
  },
  onReplay: (body) => ({ ...(body as object), replayed: true }),
};

/** `POST /anchors` and `GET /anchors/:leaf`: the anchoring queue over HTTP. */
export const anchorRoutes: FastifyPluginAsyncTypebox<{ queue: AnchorQueue; maxLeavesPerRequest: number }> = async (app, { queue, maxLeavesPerRequest }) => {
  app.post(
    "/anchors",
    {
      // Signed: an unsigned flood filled the queue and the batcher paid for it (issue 13, item 1).
      config: { auth: "signed", idempotent: replayableSubmission },
      bodyLimit: maxLeavesPerRequest * 80 + 1024,
      schema: {
        summary: "Queue commitment leaves for anchoring",
        description: `A signed-in caller's leaves, filed under the caller. Stores the leaves durably before answering. At most ${maxLeavesPerRequest} leaves per request, and a daily quota per caller (429). While the batcher's daily gas budget is spent: 503. Leaves already known keep their state. The same Idempotency-Key with the same leaves answers as the first time; with different leaves it is refused (409).`,
        tags: ["anchors"],
        security: [{ didSession: [] }],
        // No subject field: whose leaves these are is the verified caller, never a claim (a named subject is refused as an unknown field).
        body: Type.Object({ leaves: Type.Array(Bytes32, { minItems: 1, maxItems: maxLeavesPerRequest }) }, { additionalProperties: false }),
        response: {
          202: SubmitResultSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          409: ProblemSchema,
          413: ProblemSchema,
          429: ProblemSchema,
          503: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const key = request.headers[IDEMPOTENCY_HEADER];
      const result = await queue.submit(request.body.leaves, typeof key === "string" ? key : undefined, callerOf(request).did);
      return reply.code(202).send(result);
    },
  );

  app.get(
    "/anchors/:leaf",
    {
      schema: {
        summary: "A leaf's state: pending, confirming (mined, fewer than ANCHOR_CONFIRMATIONS blocks deep), or its receipt (without documentSha256 and salt, which only the client has)",
        tags: ["anchors"],
        params: Type.Object({ leaf: Bytes32 }),
        response: { 200: LeafStateSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => queue.lookup(request.params.leaf),
  );
};
