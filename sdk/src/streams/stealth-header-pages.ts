// Pages of a stealth model's public headers (stream ID, one-time key, view tag), from one of two places:
// - the OpenChart node's stealth-header route (api/stealth-headers.ts), which reads ComposeDB's index alone;
// - Ceramic's collection API, which every Ceramic node serves, answered with whole stream states (a document's
//   metadata, log and content: a few hundred bytes each now that payloads live in IPFS) of which the header is kept.
// Both page in the order the node indexed the documents, so a scan resumes from a cursor with either.
import { StreamID } from "@ceramicnetwork/streamid";
import { STEALTH_HEADERS_PATH, type StealthHeaderPage } from "../api/stealth-headers.js";
import { remoteError, requestFailure } from "../errors.js";

/** POSTs JSON to the node; the answer's status and its body as JSON (undefined when it is not JSON). */
async function post(url: string, path: string, body: unknown, what: string): Promise<{ status: number; json: unknown; text: string }> {
  try {
    const response = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text };
  } catch (error) {
    throw requestFailure("Ceramic", url, `${what}: ${String(error)}`, error);
  }
}

function isPage(value: unknown): value is StealthHeaderPage {
  const page = value as Partial<StealthHeaderPage> | undefined;
  return Array.isArray(page?.headers) && (typeof page.cursor === "string" || page.cursor === null) && typeof page.more === "boolean";
}

/** A page from the OpenChart node's own route; undefined when the node does not serve it (a stock Ceramic node: 404). */
export async function headersFromRoute(url: string, model: string, after: string | null, first: number): Promise<StealthHeaderPage | undefined> {
  const { status, json, text } = await post(url, STEALTH_HEADERS_PATH, { model, first, ...(after ? { after } : {}) }, "stealth headers");
  if (status === 404) return undefined;
  if (status !== 200 || !isPage(json)) throw remoteError("Ceramic", url, `the stealth-header route answered ${status} ${text.slice(0, 200)}`);
  // Each header is checked where it is used: the scanner passes over any that is not a well-formed header.
  const headers = json.headers.filter((h) => typeof h?.id === "string" && typeof h.ephemeralKey === "string" && typeof h.viewTag === "string");
  return { headers, cursor: json.cursor, more: json.more };
}

/** The node's answer to POST /api/v0/collection: serialized stream states, oldest first. */
interface CollectionPage {
  edges: { node: { type: number; log?: { cid: string }[]; content?: StealthFields; next?: { content?: StealthFields } } | null }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface StealthFields {
  ephemeralKey?: unknown;
  viewTag?: unknown;
}

/**
 * A page from Ceramic's collection API (at most 1,000 documents), straight rather than through ComposeDB's
 * GraphQL client: the query is the same, but that client deserialized and resolved every stream state itself.
 */
export async function headersFromCollection(url: string, model: string, after: string | null, first: number): Promise<StealthHeaderPage> {
  const { status, json, text } = await post(url, "/api/v0/collection", { model, first, ...(after ? { after } : {}) }, "collection");
  const page = json as CollectionPage | undefined;
  if (status !== 200 || !Array.isArray(page?.edges) || !page.pageInfo) throw remoteError("Ceramic", url, `the collection API answered ${status} ${text.slice(0, 200)}`);
  const headers = page.edges.flatMap(({ node }) => {
    const genesis = node?.log?.[0]?.cid;
    const content = node?.next?.content ?? node?.content;
    if (!node || typeof genesis !== "string" || typeof content?.ephemeralKey !== "string" || typeof content.viewTag !== "string") return [];
    return [{ id: new StreamID(node.type, genesis).toString(), ephemeralKey: content.ephemeralKey, viewTag: content.viewTag }];
  });
  return { headers, cursor: page.pageInfo.endCursor ?? after, more: Boolean(page.pageInfo.hasNextPage && page.pageInfo.endCursor) };
}
