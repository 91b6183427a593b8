import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { SHL_MANIFEST_PATH, ShlCreateBodySchema, ShlLinkListSchema, ShlLinkViewSchema } from "@openchart/sdk";
import { Type } from "typebox";
import { callerOf } from "../auth/route-auth.js";
import { apiError, ProblemSchema } from "../errors.js";
import type { AuditStore, ShlStore } from "../store/store.js";
import type { ShlConfig } from "./config.js";
import { checkNewLink, flagOf, newLinkId, newSecret, secretHash, viewOf } from "./links.js";
import { manifestRoutes } from "./manifest.js";
import { hashPasscode } from "./passcode.js";

const Id = Type.Object({ id: Type.String({ pattern: "^[0-9a-f]{32}$" }) }, { additionalProperties: false });
const common = { tags: ["shl"], security: [{ didSession: [] }] };
const refusals = { 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 413: ProblemSchema, 429: ProblemSchema };
/** Links listed per owner, newest first, and recipients shown per link. */
const LIST_LIMIT = 100;
const ACCESSES_SHOWN = 5;

/**
 * SMART Health Links (HL7 IG STU1, issue 16 item 4). The owner's session creates, lists and revokes links;
 * files arrive encrypted with a key the API never sees (it lives in the link). The public manifest and file
 * routes are in manifest.ts.
 */
export const shlRoutes: FastifyPluginAsyncTypebox<{ shl: ShlStore; audit: AuditStore; config: ShlConfig }> = async (app, { shl, audit, config }) => {
  app.post(
    "/shl/links",
    {
      config: { auth: "signed", idempotent: true },
      bodyLimit: config.maxBytes,
      schema: { ...common, summary: "Create a SMART Health Link for my files (encrypted on my device with the link's key)", body: ShlCreateBodySchema, response: { 201: ShlLinkViewSchema, ...refusals } },
    },
    async (request, reply) => {
      const { did } = callerOf(request);
      const now = Date.now();
      checkNewLink(request.body, now);
      const secret = newSecret();
      const { passcode, expiresAt } = request.body;
      const link = {
        id: newLinkId(),
        manifestHash: secretHash(secret),
        owner: did,
        flag: flagOf(request.body),
        passcodeHash: passcode === undefined ? null : await hashPasscode(passcode),
        attemptsLeft: passcode === undefined ? null : config.passcodeAttempts,
        createdAt: now,
        expiresAt: expiresAt ?? null,
        revokedAt: null,
      };
      const files = request.body.files.map((file, position) => ({ position, contentType: file.contentType, jwe: file.jwe, updatedAt: now }));
      const draft = { subject: did, action: "shl.create" as const, decision: "accepted" as const, refs: { link: link.id, files: files.length } };
      if ((await shl.create({ link, files, audit: draft, now, maxActive: config.maxActivePerDid })) === "full") {
        await audit.append({ ...draft, decision: "refused", refs: { reason: "SHL_TOO_MANY" } }, now);
        throw apiError("SHL_TOO_MANY", `at most ${config.maxActivePerDid} active links per account`);
      }
      return reply.code(201).send(viewOf(link, files.length, [], now, `${config.baseUrl}${SHL_MANIFEST_PATH}${secret}`));
    },
  );

  app.get(
    "/shl/links",
    { config: { auth: "signed" }, schema: { ...common, summary: "My SMART Health Links, newest first (never their keys or URLs)", response: { 200: ShlLinkListSchema, ...refusals } } },
    async (request) => {
      const { did } = callerOf(request);
      const now = Date.now();
      return { links: (await shl.list(did, LIST_LIMIT, ACCESSES_SHOWN)).map(({ link, files, accesses }) => viewOf(link, files, accesses, now)) };
    },
  );

  app.delete(
    "/shl/links/:id",
    { config: { auth: "signed" }, schema: { ...common, summary: "Revoke one of my links: its manifest and file URLs answer 404 from now on", params: Id, response: { 200: ShlLinkViewSchema, ...refusals } } },
    async (request) => {
      const { did } = callerOf(request);
      const now = Date.now();
      const found = await shl.get(request.params.id, ACCESSES_SHOWN);
      // Another account's link is "unknown": its existence is not confirmed to anyone else.
      if (!found || found.link.owner !== did) throw apiError("SHL_UNKNOWN", "you have no link with this id");
      await shl.revoke(found.link.id, { subject: did, action: "shl.revoke", decision: "accepted", refs: { link: found.link.id } }, now);
      return viewOf({ ...found.link, revokedAt: found.link.revokedAt ?? now }, found.files, found.accesses, now);
    },
  );

  await app.register(manifestRoutes, { shl, audit, config });
};
