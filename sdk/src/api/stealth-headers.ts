// The platform node's stealth-header route (composites/src/stealth-headers.ts serves it, the sdk's document store
// reads it): the public header (stream ID, one-time key, view tag) of every document of a stealth model, read
// from the node's ComposeDB index alone. Ceramic's own collection API answers the same query by loading and
// serializing each document's whole stream state, about 0.2 ms a document on the local node, which is most of
// a 10,000-grant scan (bench:privacy-node); any Ceramic node serves that one, so the sdk falls back to it.
import { Type, type Static } from "typebox";

export const STEALTH_HEADERS_PATH = "/openchart/v1/stealth-headers";
/** Headers per answer at most (about 100 bytes each). */
export const STEALTH_HEADERS_MAX_PAGE = 10_000;

export const StealthHeadersRequestSchema = Type.Object(
  {
    /** The model's stream ID. */
    model: Type.String({ minLength: 1, maxLength: 100 }),
    /** The cursor of the page before; absent: from the oldest document. */
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    first: Type.Optional(Type.Integer({ minimum: 1, maximum: STEALTH_HEADERS_MAX_PAGE })),
  },
  { additionalProperties: false },
);
export type StealthHeadersRequest = Static<typeof StealthHeadersRequestSchema>;

/** A document's stream ID with its public header. */
export const StealthHeaderEntrySchema = Type.Object({ id: Type.String(), ephemeralKey: Type.String(), viewTag: Type.String() });

/** One page of a stealth model's public headers, oldest first (in the order the node indexed them); `cursor` resumes after it. */
export const StealthHeaderPageSchema = Type.Object({
  headers: Type.Array(StealthHeaderEntrySchema),
  cursor: Type.Union([Type.String(), Type.Null()]),
  more: Type.Boolean(),
});
export type StealthHeaderPage = Static<typeof StealthHeaderPageSchema>;
