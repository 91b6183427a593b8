import { createHash } from "node:crypto";
import type { DirectoryEntry } from "@openchart/sdk";
import { appendSealed } from "./audit.js";
import type { DirectoryStore, ListedDoctor, ProfileStore } from "./directory-store.js";
import type { Engine } from "./engine.js";

/** At most this many words of a search are matched: enough for a name and a specialty. */
export const MAX_SEARCH_WORDS = 6;

export const searchWords = (q: string | undefined): string[] => (q ?? "").toLowerCase().split(/\s+/u).filter(Boolean).slice(0, MAX_SEARCH_WORDS);

export function directoryStore(engine: Engine): DirectoryStore {
  const listed = (row: { entry: string; hidden: string | null }): ListedDoctor => ({ entry: JSON.parse(row.entry) as DirectoryEntry, hidden: row.hidden });
  return {
    list: (entry, audit, now) =>
      engine.transaction(async (sql) => {
        await sql.directory.upsert({
          did: entry.did,
          sortName: entry.name.toLowerCase(),
          didHash: createHash("sha256").update(entry.did).digest("hex").slice(0, 32),
          search: [entry.name, entry.specialty.label, entry.specialty.code, entry.jurisdiction].join(" ").toLowerCase(),
          specialtyCode: entry.specialty.code,
          entry: JSON.stringify(entry),
          now,
        });
        await appendSealed(sql, [audit], now);
      }),
    unlist: (did, audit, now) =>
      engine.transaction(async (sql) => {
        const deleted = await sql.directory.delete(did);
        await appendSealed(sql, [audit], now);
        return deleted;
      }),
    get: (did) => engine.autocommit(async (sql) => ((row) => (row ? listed(row) : null))(await sql.directory.get(did))),
    search: ({ q, specialty, after, limit }) =>
      engine.autocommit(async (sql) => {
        // One row more than asked says whether another page follows.
        const rows = await sql.directory.search({ words: searchWords(q), ...(specialty ? { specialty } : {}), ...(after ? { after } : {}), limit: limit + 1 });
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return { doctors: page.map(listed), ...(rows.length > limit && last ? { next: [last.sort_name, last.did_hash] as [string, string] } : {}) };
      }),
    due: (limit) => engine.autocommit(async (sql) => (await sql.directory.due(limit)).map((row) => ({ did: row.did, checkedAt: row.checked_at }))),
    setHidden: (did, reason, now) => engine.autocommit((sql) => sql.directory.setHidden(did, reason, now)),
  };
}

export function profileStore(engine: Engine): ProfileStore {
  return {
    put: (did, sealed, audit, now) =>
      engine.transaction(async (sql) => {
        await sql.profiles.upsert(did, sealed, now);
        await appendSealed(sql, [audit], now);
      }),
    get: (did) =>
      engine.autocommit(async (sql) => {
        const row = await sql.profiles.get(did);
        return row ? { sealed: row.sealed, updatedAt: row.updated_at } : null;
      }),
  };
}
