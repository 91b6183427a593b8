import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Address, Bytes32 } from "@openchart/sdk";
import { Type } from "typebox";
import type { ConsentRelay } from "./relay.js";
import type { ConsentReader } from "../consults/consent-reader.js";
import { ProblemSchema } from "../errors.js";
import { callerOf } from "../auth/route-auth.js";

const Seconds = Type.Integer({ minimum: 1, maximum: 2 ** 40, description: "seconds since the epoch" });
const Signed = {
  // The per-consent key's address (never the patient's wallet), and the commitment: the opening behind it never reaches the API.
  revoker: Address,
  commitment: Bytes32,
  deadline: Seconds,
  r: Bytes32,
  vs: Bytes32,
};
const Options = { additionalProperties: false };
const RelayBody = Type.Union([
  Type.Object({ kind: Type.Literal("grant"), expiresAt: Seconds, ...Signed }, Options),
  Type.Object({ kind: Type.Literal("revoke"), ...Signed }, Options),
]);
const ConsentId = Type.Object({ consentId: Bytes32 }, Options);
const ConsentState = Type.Object({
  consentId: Bytes32,
  expiresAt: Type.Integer({ description: "seconds since the epoch; 0 when unknown or revoked" }),
  status: Type.Union([Type.Literal("none"), Type.Literal("active"), Type.Literal("expired"), Type.Literal("revoked")]),
});

/**
 * `POST /consents/relay` (gasless grants and revokes signed by a per-consent key) and
 * `GET /consents/:consentId` (one consent's public chain state). There is no query by patient or
 * grantee: such a query string would tie a patient to a clinician in every log it passes through.
 */
export const consentRoutes: FastifyPluginAsyncTypebox<{ relay: ConsentRelay; reader: ConsentReader }> = async (app, { relay, reader }) => {
  app.post(
    "/consents/relay",
    {
      config: { auth: "signed", idempotent: true },
      schema: {
        summary: "Submit a grant or revoke signed by the consent's own key; the API pays the gas",
        tags: ["consents"],
        security: [{ didSession: [] }],
        body: RelayBody,
        response: {
          200: Type.Object({ consentId: Bytes32, txHash: Bytes32, blockNumber: Type.Integer() }),
          400: ProblemSchema,
          401: ProblemSchema,
          404: ProblemSchema,
          409: ProblemSchema,
          410: ProblemSchema,
          429: ProblemSchema,
        },
      },
    },
    async (request) => relay.relay(request.body, callerOf(request), Date.now()),
  );

  app.get(
    "/consents/:consentId",
    {
      schema: {
        summary: "A consent's state as ConsentRegistry holds it (public: a consent ID names no one)",
        tags: ["consents"],
        params: ConsentId,
        response: { 200: ConsentState, 400: ProblemSchema },
      },
    },
    async (request) => {
      const { consentId, expiresAt, status } = await reader.state(request.params.consentId);
      // The cached read may predate the expiry: the clock decides, as for the consult route.
      return { consentId, expiresAt, status: status === "active" && expiresAt * 1000 <= Date.now() ? "expired" : status };
    },
  );
};
