import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { uniqueLeaves, type AnchorQueue } from "./queue.js";
import { ProblemSchema } from "../errors.js";
import { IDEMPOTENCY_HEADER, type IdempotentRoute } from "../plugins/idempotency.js";

const Bytes32 = Type.String({ pattern: "^0x[0-9a-fA-F]{64}$", description: "32-byte hex", examples: [`0x${"ab".repeat(32)}`] });
const Did = Type.String({ pattern: "^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$", maxLength: 200 });

const AcceptedLeaf = Type.Object({ leaf: Bytes32, status: Type.Union([Type.Literal("pending"), Type.Literal("anchored")]) });

const Pending = Type.Object({
  status: Type.Literal("pending"),
  leaf: Bytes32,
  submittedAt: Type.Integer({ description: "milliseconds since the epoch" }),
});
const Anchored = Type.Object({
  status: Type.Literal("anchored"),
  leaf: Bytes32,
  proof: Type.Array(Bytes32),
  root: Bytes32,
  chainId: Type.Integer(),
  contract: Type.String({ pattern: "^0x[0-9a-f]{40}$" }),
  txHash: Bytes32,
  blockNumber: Type.Integer(),
  anchoredAt: Type.Integer({ description: "block time, seconds since the epoch" }),
});

/**
 * A retry names the same leaves, in any order or case; the replayed answer says it is one (`replayed`),
 * as the sdk's anchor client reports it.
 */
const replayableSubmission: IdempotentRoute = {
  fingerprint: (request) => {
    const body = request.body as { leaves: string[]; subject?: string };
    return { leaves: uniqueLeaves(body.leaves).sort(), subject: body.subject ?? null };
  },
  onReplay: (body) => ({ ...(body as object), replayed: true }),
};

/** `POST /anchors` and `GET /anchors/:leaf`: the anchoring queue over HTTP. */
export const anchorRoutes: FastifyPluginAsyncTypebox<{ queue: AnchorQueue; maxLeavesPerRequest: number }> = async (app, { queue, maxLeavesPerRequest }) => {
  app.post(
    "/anchors",
    {
      config: { idempotent: replayableSubmission },
      bodyLimit: maxLeavesPerRequest * 80 + 1024,
      schema: {
        summary: "Queue commitment leaves for anchoring",
        description: `Stores the leaves durably before answering. At most ${maxLeavesPerRequest} leaves per request. Leaves already known keep their state. The same Idempotency-Key with the same leaves answers as the first time; with different leaves it is refused (409).`,
        tags: ["anchors"],
        body: Type.Object(
          {
            leaves: Type.Array(Bytes32, { minItems: 1, maxItems: maxLeavesPerRequest }),
            subject: Type.Optional(Did),
          },
          { additionalProperties: false },
        ),
        response: {
          202: Type.Object({ leaves: Type.Array(AcceptedLeaf), replayed: Type.Boolean() }),
          400: ProblemSchema,
          409: ProblemSchema,
          413: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const key = request.headers[IDEMPOTENCY_HEADER];
      const result = await queue.submit(request.body.leaves, typeof key === "string" ? key : undefined, request.body.subject ?? "anonymous");
      return reply.code(202).send(result);
    },
  );

  app.get(
    "/anchors/:leaf",
    {
      schema: {
        summary: "A leaf's state: pending, or its receipt (without documentSha256 and salt, which only the client has)",
        tags: ["anchors"],
        params: Type.Object({ leaf: Bytes32 }),
        response: { 200: Type.Union([Anchored, Pending]), 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => queue.lookup(request.params.leaf),
  );
};
