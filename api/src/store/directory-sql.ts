// The SQL of the doctor directory and of sealed patient profiles, written once for both engines: the
// statements use PostgreSQL's `$n` placeholders, which the SQLite runner rewrites (sqliteRunner).
import type Database from "better-sqlite3";
import type pg from "pg";

/** Runs one statement: rows of a query, or the number of rows a write changed. */
export interface Runner {
  all<R>(text: string, values: readonly unknown[]): Promise<R[]>;
  run(text: string, values: readonly unknown[]): Promise<number>;
}

export function directoryTables(int: "INTEGER" | "BIGINT"): string {
  return `
CREATE TABLE IF NOT EXISTS doctor_directory (
  did TEXT PRIMARY KEY,
  sort_name TEXT NOT NULL,
  did_hash TEXT NOT NULL,
  search TEXT NOT NULL,
  specialty_code TEXT NOT NULL,
  entry TEXT NOT NULL,
  listed_at ${int} NOT NULL,
  hidden TEXT,
  checked_at ${int} NOT NULL
);
CREATE INDEX IF NOT EXISTS doctor_directory_order ON doctor_directory (sort_name, did_hash);
CREATE TABLE IF NOT EXISTS sealed_profiles (
  did TEXT PRIMARY KEY,
  sealed TEXT NOT NULL,
  updated_at ${int} NOT NULL
);
`;
}

export interface DirectoryRow {
  did: string;
  sort_name: string;
  /** Orders doctors of one name, and stands for the DID in page cursors (which travel in query strings and logs). */
  did_hash: string;
  entry: string;
  hidden: string | null;
}

export interface DirectorySearch {
  /** Lower-case words that must each occur in the row's search text. */
  words: readonly string[];
  specialty?: string;
  /** The (sort_name, did_hash) of the last row of the previous page. */
  after?: readonly [string, string];
  limit: number;
}

export interface DirectorySql {
  upsert(row: { did: string; sortName: string; didHash: string; search: string; specialtyCode: string; entry: string; now: number }): Promise<void>;
  delete(did: string): Promise<boolean>;
  get(did: string): Promise<DirectoryRow | undefined>;
  /** Visible rows (no hidden reason) matching the search, by name then DID hash. */
  search(query: DirectorySearch): Promise<DirectoryRow[]>;
  /** Every listed DID with when its status was last checked, the least recently checked first. */
  due(limit: number): Promise<{ did: string; checked_at: number }[]>;
  setHidden(did: string, hidden: string | null, now: number): Promise<void>;
}

export interface ProfileSql {
  upsert(did: string, sealed: string, now: number): Promise<void>;
  get(did: string): Promise<{ sealed: string; updated_at: number } | undefined>;
}

/** LIKE's wildcards in a user's word match themselves. */
const likeWord = (word: string): string => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function directorySql(db: Runner): { directory: DirectorySql; profiles: ProfileSql } {
  return {
    directory: {
      async upsert({ did, sortName, didHash, search, specialtyCode, entry, now }) {
        // Opting in again keeps the first listing time; a new presentation's details replace the old.
        await db.run(
          `INSERT INTO doctor_directory (did, sort_name, did_hash, search, specialty_code, entry, listed_at, hidden, checked_at)
           VALUES ($1, $2, $7, $3, $4, $5, $6, NULL, $6)
           ON CONFLICT (did) DO UPDATE SET sort_name = EXCLUDED.sort_name, search = EXCLUDED.search,
             specialty_code = EXCLUDED.specialty_code, entry = EXCLUDED.entry, hidden = NULL, checked_at = EXCLUDED.checked_at`,
          [did, sortName, search, specialtyCode, entry, now, didHash],
        );
      },
      delete: async (did) => (await db.run("DELETE FROM doctor_directory WHERE did = $1", [did])) > 0,
      get: async (did) => (await db.all<DirectoryRow>("SELECT did, sort_name, did_hash, entry, hidden FROM doctor_directory WHERE did = $1", [did]))[0],
      search({ words, specialty, after, limit }) {
        const values: unknown[] = [];
        const param = (value: unknown) => `$${values.push(value)}`;
        const where = ["hidden IS NULL"];
        for (const word of words) where.push(`search LIKE ${param(likeWord(word))} ESCAPE '\\'`);
        if (specialty !== undefined) where.push(`specialty_code = ${param(specialty)}`);
        if (after) where.push(`(sort_name > ${param(after[0])} OR (sort_name = ${param(after[0])} AND did_hash > ${param(after[1])}))`);
        return db.all<DirectoryRow>(
          `SELECT did, sort_name, did_hash, entry, hidden FROM doctor_directory WHERE ${where.join(" AND ")} ORDER BY sort_name, did_hash LIMIT ${param(limit)}`,
          values,
        );
      },
      due: (limit) => db.all<{ did: string; checked_at: number }>("SELECT did, checked_at FROM doctor_directory ORDER BY checked_at, did LIMIT $1", [limit]),
      async setHidden(did, hidden, now) {
        await db.run("UPDATE doctor_directory SET hidden = $2, checked_at = $3 WHERE did = $1", [did, hidden, now]);
      },
    },
    profiles: {
      async upsert(did, sealed, now) {
        await db.run(
          "INSERT INTO sealed_profiles (did, sealed, updated_at) VALUES ($1, $2, $3) ON CONFLICT (did) DO UPDATE SET sealed = EXCLUDED.sealed, updated_at = EXCLUDED.updated_at",
          [did, sealed, now],
        );
      },
      get: async (did) => (await db.all<{ sealed: string; updated_at: number }>("SELECT sealed, updated_at FROM sealed_profiles WHERE did = $1", [did]))[0],
    },
  };
}

/** `$n` placeholders as SQLite's anonymous `?`, the values in the order they occur (a `$n` may repeat). */
export function sqliteRunner(db: Database.Database): Runner {
  const statements = new Map<string, { statement: Database.Statement; order: number[] }>();
  const prepared = (text: string) => {
    let found = statements.get(text);
    if (!found) {
      const order: number[] = [];
      const statement = db.prepare(text.replace(/\$(\d+)/g, (_match, n: string) => (order.push(Number(n) - 1), "?")));
      found = { statement, order };
      statements.set(text, found);
    }
    return found;
  };
  const bind = (order: number[], values: readonly unknown[]) => order.map((i) => values[i]);
  return {
    all: async <R>(text: string, values: readonly unknown[]) => {
      const { statement, order } = prepared(text);
      return statement.all(...bind(order, values)) as R[];
    },
    run: async (text, values) => {
      const { statement, order } = prepared(text);
      return statement.run(...bind(order, values)).changes;
    },
  };
}

export function postgresRunner(db: pg.Pool | pg.PoolClient): Runner {
  return {
    all: async <R>(text: string, values: readonly unknown[]) => (await db.query(text, [...values])).rows as R[],
    run: async (text, values) => (await db.query(text, [...values])).rowCount ?? 0,
  };
}
