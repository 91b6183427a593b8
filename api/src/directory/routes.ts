import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { DirectoryEntrySchema, DirectoryListingSchema, DirectoryPageSchema, DirectoryQuerySchema, DIRECTORY_PAGE_DEFAULT, type DirectoryEntry } from "@openchart/sdk";
import { Type } from "typebox";
import { callerOf } from "../auth/route-auth.js";
import { apiError, ProblemSchema } from "../errors.js";
import { normalizeDid, refusalDetail, type LicensedSessions } from "../licenses/licensed-sessions.js";
import type { Store } from "../store/store.js";
import { directoryEntryOf } from "./entry.js";
import { hiddenReasonOf } from "./recheck.js";

export interface DirectoryRoutesOptions {
  store: Store;
  licensed: LicensedSessions;
  /** Searches per client address and minute. */
  searchesPerMinute: number;
}

const MAX_CURSOR_PART = 300;

/** The page cursor: the last row's sort key and a hash of its DID (no DID in a query string), opaque to clients. */
const encodeCursor = (next: readonly [string, string]): string => Buffer.from(JSON.stringify(next)).toString("base64url");

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === "string" && part.length <= MAX_CURSOR_PART)) return value as [string, string];
  } catch {
    // refused below
  }
  throw apiError("INVALID_REQUEST", "cursor is not one this API handed out: pass the `next` of the previous page as it came");
}

/**
 * The doctor directory: a doctor whose license this API verified (their standing presentation, see
 * presentations.ts) opts in or out (`PUT /directory/me`); anyone searches the listed doctors by name and
 * specialty (`GET /directory`, public, paginated, rate limited). It holds public professional data only
 * (name, specialty, jurisdiction): nothing about patients, and no search is tied to a caller. Every
 * answer is re-checked against the status lists, and a background pass (recheck.ts) hides a doctor whose
 * license is suspended, revoked or expired.
 */
export const directoryRoutes: FastifyPluginAsyncTypebox<DirectoryRoutesOptions> = async (app, { store, licensed, searchesPerMinute }) => {
  app.put(
    "/directory/me",
    {
      config: { auth: "signed" },
      schema: {
        summary: "List me in the doctor directory, or take me out (a doctor whose license this API verified)",
        tags: ["directory"],
        security: [{ didSession: [] }],
        body: DirectoryListingSchema,
        response: {
          200: Type.Object({ listed: Type.Boolean(), entry: Type.Optional(DirectoryEntrySchema) }),
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const did = normalizeDid(caller.did);
      const now = Date.now();
      if (!request.body.listed) {
        // Idempotent: taking out a doctor who is not listed answers the same.
        await store.directory.unlist(did, { subject: did, action: "directory.unlist", decision: "accepted", refs: {} }, now);
        return { listed: false };
      }
      const standing = await licensed.doctor(did);
      const refuse = async (reason: string): Promise<void> => {
        await store.audit.append({ subject: did, action: "directory.list", decision: "refused", refs: { reason } }, now);
      };
      if (!standing) {
        await refuse("not-presented");
        throw apiError("LICENSE_REQUIRED", "present your license first (License page): the directory lists only doctors whose license this API verified");
      }
      if (!standing.ok) {
        await refuse("license-refused");
        throw apiError("LICENSE_REFUSED", `your license does not pass its check now, so you cannot be listed: ${refusalDetail(standing)}`);
      }
      const entry = directoryEntryOf(standing, now);
      if (!entry) {
        await refuse("no-name");
        throw apiError("INVALID_REQUEST", "your license states no name, and the directory lists doctors by name: ask your issuer for a license that names you");
      }
      await store.directory.list(entry, { subject: did, action: "directory.list", decision: "accepted", refs: {} }, now);
      return { listed: true, entry: (await store.directory.get(did))?.entry ?? entry };
    },
  );

  app.get(
    "/directory",
    {
      config: { rateLimit: { max: searchesPerMinute, timeWindow: 60_000 } },
      schema: {
        summary: "Search the doctors who opted in, by name and specialty (public; suspended or revoked licenses are left out)",
        tags: ["directory"],
        querystring: DirectoryQuerySchema,
        response: { 200: DirectoryPageSchema, 400: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request) => {
      const { q, specialty, cursor, limit = DIRECTORY_PAGE_DEFAULT } = request.query;
      const page = await store.directory.search({ ...(q ? { q } : {}), ...(specialty ? { specialty } : {}), ...(cursor ? { after: decodeCursor(cursor) } : {}), limit });
      const now = Date.now();
      // Live: a license suspended since the last background pass drops out of this very answer.
      const doctors = await Promise.all(
        page.doctors.map(async ({ entry }): Promise<DirectoryEntry | null> => {
          const reason = hiddenReasonOf(await licensed.doctor(entry.did));
          if (reason === null) return entry;
          await store.directory.setHidden(entry.did, reason, now);
          return null;
        }),
      );
      return { doctors: doctors.filter((d): d is DirectoryEntry => d !== null), ...(page.next ? { next: encodeCursor(page.next) } : {}) };
    },
  );
};
