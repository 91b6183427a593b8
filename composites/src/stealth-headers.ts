// The node's stealth-header route (its contract: @openchart/sdk/api, stealth-headers.ts): every document of a
// stealth model (SealedGrantV2, SealedNoteV2) as its stream ID, one-time key and view tag, read from ComposeDB's
// index table alone. Ceramic's collection API answers the same query by loading, deep-cloning and serializing
// each document's stream state (about 0.2 ms of node time a document: most of a 10,000-grant scan); this reads
// the same rows ComposeDB keeps for that API and nothing else. It serves what is public anyway, to anyone:
// no document, no controller, no payload, only what a recipient needs to test a view tag.
import type { CeramicDaemon } from "@ceramicnetwork/cli";
import type { Ceramic } from "@ceramicnetwork/core";
import type { RuntimeCompositeDefinition } from "@composedb/types";
import { STEALTH_HEADERS_PATH, StealthHeadersRequestSchema, type StealthHeaderPage } from "@openchart/sdk/api";
import { Check } from "typebox/value";

type Express = Parameters<CeramicDaemon["registerAPIPaths"]>[0];

/** What this needs of the knex connection ComposeDB indexes with (js-ceramic 6.11 keeps it on its index API). */
interface IndexDatabase {
  raw(sql: string, bindings: readonly (string | number)[]): Promise<unknown>;
}

interface Row {
  id: string;
  t: number;
  ephemeralKey: unknown;
  viewTag: unknown;
}

const DEFAULT_PAGE = 1_000;

/** The models whose documents carry a one-time key and a view tag: OpenChart's stealth models. */
export function stealthModelIds(runtime: RuntimeCompositeDefinition): string[] {
  return Object.entries(runtime.models)
    .filter(([name]) => {
      const fields = runtime.objects[name] ?? {};
      return "ephemeralKey" in fields && "viewTag" in fields;
    })
    .map(([, model]) => model.id);
}

/** The index's database, or an error that names what changed: this reads a private field of js-ceramic. */
function indexDatabase(ceramic: Ceramic): IndexDatabase {
  const db = (ceramic.index as unknown as { databaseIndexApi?: { dbConnection?: Partial<IndexDatabase> } }).databaseIndexApi?.dbConnection;
  if (typeof db?.raw !== "function") throw new Error("this js-ceramic keeps no ComposeDB index connection where 6.11 did (index.databaseIndexApi.dbConnection)");
  return db as IndexDatabase;
}

function encodeCursor(row: Row): string {
  return Buffer.from(JSON.stringify([row.t, row.id])).toString("base64url");
}

function decodeCursor(cursor: string): [number, string] | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === "string") return value as [number, string];
  } catch {
    // not a cursor of this route: below
  }
  return undefined;
}

/** One page of `model`'s headers after `after`, in the order the node indexed the documents (as Ceramic's own cursors). */
export async function stealthHeaderPage(db: IndexDatabase, model: string, after: string | undefined, first: number): Promise<StealthHeaderPage> {
  const cursor = after === undefined ? undefined : decodeCursor(after);
  if (after !== undefined && cursor === undefined) throw new RangeError("not a cursor of this route");
  // The table is named after the model's stream ID, which the caller checked against the node's own models.
  const where = cursor ? "WHERE (created_at, stream_id) > (?, ?)" : "";
  const result = await db.raw(
    `SELECT stream_id AS id, created_at AS t, stream_content ->> 'ephemeralKey' AS ephemeralKey, stream_content ->> 'viewTag' AS viewTag
     FROM "${model}" ${where} ORDER BY created_at, stream_id LIMIT ?`,
    cursor ? [cursor[0], cursor[1], first + 1] : [first + 1],
  );
  const rows = (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];
  const page = rows.slice(0, first);
  const headers = page.flatMap((row) =>
    typeof row.ephemeralKey === "string" && typeof row.viewTag === "string" ? [{ id: row.id, ephemeralKey: row.ephemeralKey, viewTag: row.viewTag }] : [],
  );
  const last = page.at(-1);
  return { headers, cursor: last ? encodeCursor(last) : (after ?? null), more: rows.length > first };
}

/** Adds the route to a Ceramic daemon's HTTP server, for `models` only (stream IDs; the node indexes them). */
export function addStealthHeaderRoute(app: Express, ceramic: Ceramic, models: readonly string[]): void {
  const allowed = new Set(models);
  // Checked now, so that a js-ceramic without the index connection fails at start, not on a doctor's scan.
  const db = allowed.size > 0 ? indexDatabase(ceramic) : undefined;
  app.postAsync(STEALTH_HEADERS_PATH, async (req, res) => {
    const body: unknown = req.body;
    if (!Check(StealthHeadersRequestSchema, body)) {
      res.status(400).json({ error: `expected ${JSON.stringify({ model: "<stream ID>", after: "<cursor>?", first: "<1 to 10000>?" })}` });
      return;
    }
    if (!db || !allowed.has(body.model)) {
      res.status(404).json({ error: `this node serves stealth headers of ${[...allowed].join(", ") || "no model"}, not of ${body.model}` });
      return;
    }
    try {
      res.json(await stealthHeaderPage(db, body.model, body.after, body.first ?? DEFAULT_PAGE));
    } catch (error) {
      if (error instanceof RangeError) res.status(400).json({ error: error.message });
      else res.status(500).json({ error: `stealth headers of ${body.model}: ${error instanceof Error ? error.message : String(error)}` });
    }
  });
}
