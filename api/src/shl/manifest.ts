import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { SHL_FILE_PATH, SHL_MANIFEST_PATH, SHL_RECIPIENT_MAX_CHARS, SHL_SECRET_PATTERN, ShlManifestRequestSchema, ShlManifestSchema, type ShlManifestFile } from "@openchart/sdk";
import { Type } from "typebox";
import { apiError, ApiError, ProblemSchema } from "../errors.js";
import { GroupCommit } from "../store/group-commit.js";
import type { AuditStore, ShlFile, ShlLink, ShlServe, ShlStore, ShlTicket } from "../store/store.js";
import type { ShlConfig } from "./config.js";
import { newSecret, secretHash, stateOf } from "./links.js";
import { passcodeMatches } from "./passcode.js";

const Secret = Type.Object({ secret: Type.String({ pattern: SHL_SECRET_PATTERN }) }, { additionalProperties: false });
const Ticket = Type.Object({ ticket: Type.String({ pattern: SHL_SECRET_PATTERN }) }, { additionalProperties: false });
/** The IG's direct-file request: `recipient` required; other parameters ignored, as the IG asks. */
const DirectQuery = Type.Object({ recipient: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: true });
const common = { tags: ["shl"] };
const refusals = { 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema, 405: ProblemSchema, 429: ProblemSchema };
const JoseFile = Type.String({ description: "a compact JWE (application/jose)" });
/** Without the client's `embeddedLengthMax`, files up to this length come embedded, larger ones by `location`. */
const DEFAULT_EMBED_MAX = 256 * 1024;
const NO_STORE = "no-store";

/**
 * The public side of SMART Health Links, as the IG defines it: the manifest by POST (recipient, passcode,
 * embeddedLengthMax), the single file of a U-flag link by GET, and the short-lived single-use file URLs a
 * manifest lists. No session: whoever holds the link's URL asks. Wrong passcodes count over the link's
 * lifetime; the attempt is taken before the passcode is checked, so parallel guesses cannot exceed it.
 */
export const manifestRoutes: FastifyPluginAsyncTypebox<{ shl: ShlStore; audit: AuditStore; config: ShlConfig }> = async (app, { shl, audit, config }) => {
  // Each request's access row, file URLs and audit entry are synced before its answer; concurrent requests share one commit.
  const serving = new GroupCommit<ShlServe, ShlFile[]>((requests) => shl.serve(requests, Date.now()));

  const refuse = async (link: ShlLink, action: "shl.manifest" | "shl.file", error: ApiError, now: number): Promise<never> => {
    await audit.append({ subject: link.owner, action, decision: "refused", refs: { link: link.id, reason: error.code } }, now);
    throw error;
  };

  /** The link this secret names, if it is active now (else the refusal, audited under the owner). */
  async function activeLink(secret: string, action: "shl.manifest" | "shl.file", now: number): Promise<ShlLink> {
    const link = await shl.byManifest(secretHash(secret));
    if (!link) throw apiError("SHL_UNKNOWN", "no link has this URL");
    const state = stateOf(link, now);
    if (state !== "active") return refuse(link, action, apiError("SHL_INACTIVE", inactiveDetail[state]), now);
    return link;
  }

  async function checkPasscode(link: ShlLink, given: string | undefined, now: number): Promise<void> {
    if (link.passcodeHash === null) return;
    // A missing passcode is not a guess: refused without taking an attempt.
    if (!given) throw apiError("SHL_PASSCODE", "this link needs its passcode", { remainingAttempts: link.attemptsLeft ?? 0 });
    const left = await shl.takeAttempt(link.id);
    if (left === null) return refuse(link, "shl.manifest", apiError("SHL_INACTIVE", inactiveDetail.locked), now);
    if (await passcodeMatches(link.passcodeHash, given)) return shl.giveAttempt(link.id);
    return refuse(link, "shl.manifest", apiError("SHL_PASSCODE", `wrong passcode; ${left} attempt${left === 1 ? "" : "s"} left`, { remainingAttempts: left }), now);
  }

  app.post(
    `${SHL_MANIFEST_PATH}:secret`,
    { schema: { ...common, summary: "A link's manifest (IG: POST with recipient, passcode, embeddedLengthMax)", params: Secret, body: ShlManifestRequestSchema, response: { 200: ShlManifestSchema, ...refusals } } },
    async (request, reply) => {
      const now = Date.now();
      const link = await activeLink(request.params.secret, "shl.manifest", now);
      if (link.flag.includes("U")) throw apiError("SHL_WRONG_METHOD", "this is a U-flag link: GET its URL with ?recipient=");
      const { recipient, passcode, embeddedLengthMax } = request.body;
      await checkPasscode(link, passcode, now);
      const embedMax = embeddedLengthMax ?? DEFAULT_EMBED_MAX;
      const expiresAt = Math.min(now + config.fileUrlSeconds * 1000, link.expiresAt ?? Infinity);
      const locations = new Map<number, string>();
      const locate = (files: ShlFile[]): ShlTicket[] =>
        files
          .filter((file) => file.jwe.length > embedMax)
          .map((file) => {
            const ticket = newSecret();
            locations.set(file.position, `${config.baseUrl}${SHL_FILE_PATH}${ticket}`);
            return { hash: secretHash(ticket), position: file.position, expiresAt };
          });
      const files = await serving.add({ linkId: link.id, recipient: displayable(recipient), locate, audit: served(link, "shl.manifest") });
      const status = link.flag.includes("L") ? "can-change" : "finalized";
      const entries = files.map((file): ShlManifestFile => ({
        contentType: file.contentType,
        ...(locations.has(file.position) ? { location: locations.get(file.position)! } : { embedded: file.jwe }),
        lastUpdated: new Date(file.updatedAt).toISOString(),
        status,
        ...(file.contentType === "application/fhir+json" ? { fhirVersion: "4.0.1" } : {}),
      }));
      return reply.header("cache-control", NO_STORE).send({ files: entries });
    },
  );

  app.get(
    `${SHL_MANIFEST_PATH}:secret`,
    { schema: { ...common, summary: "A U-flag link's single file (IG: GET with ?recipient=)", params: Secret, querystring: DirectQuery, response: { 200: JoseFile, ...refusals } } },
    async (request, reply) => {
      const now = Date.now();
      const link = await activeLink(request.params.secret, "shl.file", now);
      if (!link.flag.includes("U")) throw apiError("SHL_WRONG_METHOD", "this link has no U flag: POST a manifest request to it");
      const [file] = await serving.add({ linkId: link.id, recipient: displayable(request.query.recipient), locate: () => [], audit: served(link, "shl.file") });
      return reply.header("cache-control", NO_STORE).type("application/jose").send(file!.jwe);
    },
  );

  app.get(
    `${SHL_FILE_PATH}:ticket`,
    { schema: { ...common, summary: "One file a manifest listed by location (single use, lives at most an hour)", params: Ticket, response: { 200: JoseFile, ...refusals } } },
    async (request, reply) => {
      const now = Date.now();
      const ticket = await shl.takeTicket(secretHash(request.params.ticket));
      if (!ticket || ticket.expiresAt <= now) throw apiError("SHL_UNKNOWN", "this file URL was already used, is over its lifetime, or never existed: request the manifest again");
      const found = await shl.get(ticket.linkId, 0);
      if (!found) throw apiError("SHL_UNKNOWN", "this file URL's link no longer exists");
      const state = stateOf(found.link, now);
      if (state !== "active") return refuse(found.link, "shl.file", apiError("SHL_INACTIVE", inactiveDetail[state]), now);
      const file = await shl.file(ticket.linkId, ticket.position);
      await audit.append(served(found.link, "shl.file"), now);
      return reply.header("cache-control", NO_STORE).type("application/jose").send(file!.jwe);
    },
  );
};

const inactiveDetail = {
  active: "",
  revoked: "this link was revoked by its owner",
  expired: "this link has expired",
  locked: "this link is locked after too many wrong passcodes",
} as const;

const served = (link: ShlLink, action: "shl.manifest" | "shl.file") => ({ subject: link.owner, action, decision: "allowed" as const, refs: { link: link.id } });

/** A recipient as the owner will read it: one line, no control characters, bounded. */
const displayable = (recipient: string): string => recipient.replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, " ").trim().slice(0, SHL_RECIPIENT_MAX_CHARS) || "(blank)";
