import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Address, Bytes32 } from "@openchart/sdk";
import { Type } from "typebox";
import type { ConsentRelay } from "./relay.js";
import { ProblemSchema } from "../errors.js";
import { anonymousOrigin, type IpHasher } from "../audit/anonymous.js";

const Seconds = Type.Integer({ minimum: 1, maximum: 2 ** 40, description: "seconds since the epoch" });
const Signed = {
  patient: Address,
  nonce: Type.String({ pattern: "^[0-9]{1,30}$", description: "the patient's nonce the signature covers (decimal)" }),
  deadline: Seconds,
  r: Bytes32,
  vs: Bytes32,
};
const Options = { additionalProperties: false };
const RelayBody = Type.Union([
  Type.Object({ kind: Type.Literal("grant"), grantee: Address, scope: Bytes32, expiresAt: Seconds, ...Signed }, Options),
  Type.Object({ kind: Type.Literal("revoke"), consentId: Bytes32, ...Signed }, Options),
]);
const ConsentState = Type.Object({
  consentId: Bytes32,
  patient: Type.Union([Address, Type.Null()]),
  expiresAt: Type.Integer(),
  status: Type.Union([Type.Literal("none"), Type.Literal("active"), Type.Literal("expired")]),
});
const ConsentEvent = Type.Object({
  kind: Type.Union([Type.Literal("granted"), Type.Literal("revoked")]),
  consentId: Bytes32,
  scope: Type.Optional(Bytes32),
  expiresAt: Type.Optional(Type.Integer()),
  blockNumber: Type.Integer(),
  txHash: Bytes32,
  at: Type.Integer({ description: "block time, seconds since the epoch" }),
});

/** `POST /consents/relay` (gasless signed grants and revokes) and `GET /consents` (a pair's consents, from the chain). */
export const consentRoutes: FastifyPluginAsyncTypebox<{ relay: ConsentRelay; hashIp: IpHasher }> = async (app, { relay, hashIp }) => {
  app.post(
    "/consents/relay",
    {
      config: { idempotent: true },
      schema: {
        summary: "Submit a patient's EIP-712 signed grant or revoke; the API pays the gas",
        tags: ["consents"],
        body: RelayBody,
        response: {
          200: Type.Object({ consentId: Bytes32, txHash: Bytes32, blockNumber: Type.Integer() }),
          400: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
          409: ProblemSchema,
          429: ProblemSchema,
        },
      },
    },
    async (request) => relay.relay(request.body, Date.now(), anonymousOrigin(request, hashIp)),
  );

  app.get(
    "/consents",
    {
      schema: {
        summary: "A patient-grantee pair's consents, as ConsentRegistry holds them now, with their history",
        tags: ["consents"],
        querystring: Type.Object({ patient: Address, grantee: Address }, Options),
        response: { 200: Type.Object({ consents: Type.Array(ConsentState), history: Type.Array(ConsentEvent) }), 400: ProblemSchema },
      },
    },
    async (request) => relay.consents(request.query.patient, request.query.grantee),
  );
};
