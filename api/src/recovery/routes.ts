import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  ApprovalBodySchema,
  GuardianSetBodySchema,
  GuardianSetViewSchema,
  GuardingSchema,
  RecoveryCompletedSchema,
  RecoveryListsSchema,
  RecoveryRequestBodySchema,
  RecoveryRequestViewSchema,
} from "@openchart/sdk";
import { Type } from "typebox";
import type { AuditAction } from "../audit/log.js";
import { callerOf } from "../auth/route-auth.js";
import { ApiError, apiError, ProblemSchema } from "../errors.js";
import type { AuditStore, RecoveryStore, RecoveryTx } from "../store/store.js";
import { approveRequest, cancelRequest, completeRequest, LIST_LIMIT, openRequest, partyOf, removeGuardians, setGuardians, type Role } from "./rules.js";
import { guardedView, guardianSetView, requestView } from "./views.js";

const Id = Type.Object({ id: Type.String({ pattern: "^[0-9a-f]{32}$" }) }, { additionalProperties: false });
const signed = { config: { auth: "signed" as const } };
// A retried POST (same Idempotency-Key) is answered as the first one was, not refused as a second step.
const signedOnce = { config: { auth: "signed" as const, idempotent: true } };
const common = { tags: ["recovery"], security: [{ didSession: [] }] };
const refusals = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 410: ProblemSchema, 429: ProblemSchema };

/**
 * Guardian recovery (issue 14): the caller's guardian set, recovery requests from a new wallet, the waiting
 * period in which the old wallet's session can cancel, approvals (each guardian's share re-wrapped to the
 * requester's key) and completion. Everything is behind the caller's own signed-in session and nothing of
 * it is public. Every step is audited (refusals too, under the caller) and notified to the parties.
 */
export const recoveryRoutes: FastifyPluginAsyncTypebox<{ recovery: RecoveryStore; audit: AuditStore; waitMs: number }> = async (app, { recovery, audit, waitMs }) => {
  /** Runs a step; a refusal is audited under the caller (nothing else was written) and answered. */
  async function step<T>(caller: string, action: AuditAction, refs: Record<string, string>, work: (tx: RecoveryTx) => Promise<T>): Promise<T> {
    const now = Date.now();
    try {
      return await recovery.run(work, now);
    } catch (error) {
      if (error instanceof ApiError) await audit.append({ subject: caller, action, decision: "refused", refs: { ...refs, reason: error.code } }, now);
      throw error;
    }
  }

  app.put(
    "/recovery/guardians",
    { ...signed, schema: { ...common, summary: "Name my guardians: a new k-of-n split of my master, each share sealed to one guardian", body: GuardianSetBodySchema, response: { 204: Type.Null(), ...refusals } } },
    async (request, reply) => {
      const { did } = callerOf(request);
      await step(did, "recovery.guardians.put", {}, (tx) => setGuardians(tx, did, request.body, Date.now()));
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/recovery/guardians",
    { ...signed, schema: { ...common, summary: "My guardian set (no shares)", response: { 200: GuardianSetViewSchema, ...refusals } } },
    async (request) => {
      const { did } = callerOf(request);
      const view = await recovery.read((tx) => guardianSetView(tx, did));
      if (!view) throw apiError("GUARDIANS_UNKNOWN", "you have named no guardians yet");
      return view;
    },
  );

  app.delete(
    "/recovery/guardians",
    { ...signed, schema: { ...common, summary: "Name no guardians any more (their shares are deleted)", response: { 204: Type.Null(), ...refusals } } },
    async (request, reply) => {
      const { did } = callerOf(request);
      await step(did, "recovery.guardians.delete", {}, (tx) => removeGuardians(tx, did));
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/recovery/guarding",
    { ...signed, schema: { ...common, summary: "The accounts I guard, each with the share sealed to me", response: { 200: GuardingSchema, ...refusals } } },
    async (request) => {
      const { did } = callerOf(request);
      return { guarding: (await recovery.read((tx) => tx.sql.recovery.guardedBy(did))).map(guardedView) };
    },
  );

  app.post(
    "/recovery/requests",
    {
      ...signedOnce,
      schema: { ...common, summary: "Ask to recover an account from this (new) wallet; guardians may approve after the waiting period", body: RecoveryRequestBodySchema, response: { 201: RecoveryRequestViewSchema, ...refusals } },
    },
    async (request, reply) => {
      const { did } = callerOf(request);
      const view = await step(did, "recovery.request", {}, async (tx) => {
        const row = await openRequest(tx, did, request.body, Date.now(), waitMs);
        return requestView(tx, await partyOf(tx, row.id, did), did);
      });
      return reply.code(201).send(view);
    },
  );

  app.get(
    "/recovery/requests",
    { ...signed, schema: { ...common, summary: "The recovery requests I am a party to: of my account, mine, and those I guard", response: { 200: RecoveryListsSchema, ...refusals } } },
    async (request) => {
      const { did } = callerOf(request);
      return recovery.read(async (tx) => {
        const side = async (role: Role, filter: Parameters<typeof tx.sql.recovery.requestsBy>[0]) =>
          Promise.all(
            (await tx.sql.recovery.requestsBy(filter, LIST_LIMIT)).map(async (row) => requestView(tx, { row, role, guardians: await tx.sql.recovery.requestGuardians(row.id) }, did)),
          );
        return { asPatient: await side("patient", { patient: did }), asRequester: await side("requester", { requester: did }), asGuardian: await side("guardian", { guardian: did }) };
      });
    },
  );

  app.get(
    "/recovery/requests/:id",
    { ...signed, schema: { ...common, summary: "One recovery request, as my side of it sees it", params: Id, response: { 200: RecoveryRequestViewSchema, ...refusals } } },
    async (request) => {
      const { did } = callerOf(request);
      return recovery.read(async (tx) => requestView(tx, await partyOf(tx, request.params.id, did), did));
    },
  );

  app.post(
    "/recovery/requests/:id/cancel",
    { ...signedOnce, schema: { ...common, summary: "Cancel a recovery of my account (from the old wallet's session), or withdraw my request", params: Id, response: { 200: RecoveryRequestViewSchema, ...refusals } } },
    async (request) => {
      const { did } = callerOf(request);
      const { id } = request.params;
      return step(did, "recovery.cancel", { requestId: id }, async (tx) => requestView(tx, await cancelRequest(tx, did, id, Date.now()), did));
    },
  );

  app.post(
    "/recovery/requests/:id/approve",
    {
      ...signedOnce,
      schema: { ...common, summary: "Approve as a guardian: my share, re-wrapped to the requester's key (after the waiting period)", params: Id, body: ApprovalBodySchema, response: { 200: RecoveryRequestViewSchema, ...refusals } },
    },
    async (request) => {
      const { did } = callerOf(request);
      const { id } = request.params;
      return step(did, "recovery.approve", { requestId: id }, async (tx) => requestView(tx, await approveRequest(tx, did, id, request.body.share, Date.now()), did));
    },
  );

  app.post(
    "/recovery/requests/:id/complete",
    {
      ...signedOnce,
      schema: { ...common, summary: "Close my recovery once the key is rebuilt: the old account's wallet key, devices and guardian set are deleted", params: Id, response: { 200: RecoveryCompletedSchema, ...refusals } },
    },
    async (request) => {
      const { did } = callerOf(request);
      const { id } = request.params;
      return step(did, "recovery.complete", { requestId: id }, async (tx) => {
        const done = await completeRequest(tx, did, id, Date.now());
        return { request: await requestView(tx, done.party, did), revoked: { walletKey: done.walletKey, devices: done.devices } };
      });
    },
  );
};
