import type pg from "pg";
import type { AiUsageSql, CounterSql, LeaseSql, LicensedSessionSql } from "./coordination-sql.js";

/** The server's clock in milliseconds: replicas on other hosts may be seconds apart, the database is one. */
const NOW_MS = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";

/** Advisory-lock class of per-DID AI admissions (two-key locks never meet the single-key write lock). */
const AI_USAGE_LOCK_CLASS = 7041984;

/**
 * Rate-limit counters are UNLOGGED: every counted request writes one, and such a table skips the
 * write-ahead log. It keeps its rows across a clean server restart; a server crash empties it, which
 * only re-opens the current windows.
 */
export const COORDINATION_TABLES = `
CREATE UNLOGGED TABLE IF NOT EXISTS rate_counters (
  key TEXT PRIMARY KEY,
  count BIGINT NOT NULL,
  resets_at BIGINT NOT NULL
);
`;

/** What replicas coordinate through, in PostgreSQL: leases, counters, licensed sessions, AI use. */
export function postgresCoordinationSql(db: pg.Pool | pg.PoolClient): { leases: LeaseSql; counters: CounterSql; licensedSessions: LicensedSessionSql; aiUsage: AiUsageSql } {
  const rows = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => (await db.query<R>(text, values)).rows;
  const changes = async (text: string, values?: unknown[]) => (await db.query(text, values)).rowCount ?? 0;

  return {
    leases: {
      acquire: async (name, holder, ttlMs) =>
        (await changes(
          `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, ${NOW_MS} + $3)
           ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
           WHERE leases.holder = EXCLUDED.holder OR leases.expires_at <= ${NOW_MS}`,
          [name, holder, ttlMs],
        )) === 1,
      async release(name, holder) {
        await db.query("DELETE FROM leases WHERE name = $1 AND holder = $2", [name, holder]);
      },
      async clear(name) {
        await db.query("DELETE FROM leases WHERE name = $1", [name]);
      },
      holder: async (name) => (await rows<{ holder: string }>(`SELECT holder FROM leases WHERE name = $1 AND expires_at > ${NOW_MS}`, [name]))[0]?.holder,
      // FOR SHARE: a takeover (an UPDATE of this row) waits until the fenced transaction has ended.
      holds: async (name, holder) =>
        (await rows(`SELECT 1 FROM leases WHERE name = $1 AND holder = $2 AND expires_at > ${NOW_MS} FOR SHARE`, [name, holder])).length === 1,
    },
    counters: {
      hit: async (key, windowMs, now) =>
        (
          await rows<{ count: number; resets_at: number }>(
            `INSERT INTO rate_counters (key, count, resets_at) VALUES ($1, 1, $2::bigint + $3::bigint)
             ON CONFLICT (key) DO UPDATE SET
               count = CASE WHEN rate_counters.resets_at <= $2 THEN 1 ELSE rate_counters.count + 1 END,
               resets_at = CASE WHEN rate_counters.resets_at <= $2 THEN $2::bigint + $3::bigint ELSE rate_counters.resets_at END
             RETURNING count, resets_at`,
            [key, now, windowMs],
          )
        )[0]!,
      deleteExpired: (now) => changes("DELETE FROM rate_counters WHERE resets_at <= $1", [now]),
    },
    licensedSessions: {
      async upsertSession(did, sessionKey, until, verified) {
        await db.query(
          `INSERT INTO licensed_sessions (did, session_key, until, verified) VALUES ($1, $2, $3, $4)
           ON CONFLICT (did, session_key) DO UPDATE SET until = EXCLUDED.until, verified = EXCLUDED.verified`,
          [did, sessionKey, until, verified],
        );
      },
      async upsertDoctor(did, verified, presentedAt) {
        await db.query(
          "INSERT INTO licensed_doctors (did, verified, presented_at) VALUES ($1, $2, $3) ON CONFLICT (did) DO UPDATE SET verified = EXCLUDED.verified, presented_at = EXCLUDED.presented_at",
          [did, verified, presentedAt],
        );
      },
      session: async (did, sessionKey, now) =>
        (await rows<{ verified: string; until: number }>("SELECT verified, until FROM licensed_sessions WHERE did = $1 AND session_key = $2 AND until > $3", [did, sessionKey, now]))[0],
      latest: async (did) => (await rows<{ verified: string }>("SELECT verified FROM licensed_doctors WHERE did = $1", [did]))[0]?.verified,
      deleteEnded: (now) => changes("DELETE FROM licensed_sessions WHERE until <= $1", [now]),
    },
    aiUsage: {
      async lock(did) {
        await db.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [AI_USAGE_LOCK_CLASS, did]);
      },
      since: (did, since) =>
        rows<{ kind: "request" | "tokens"; at: number; amount: number }>("SELECT kind, at, amount FROM ai_usage WHERE did = $1 AND at > $2 ORDER BY at", [did, since]),
      async insert(did, kind, at, amount) {
        await db.query("INSERT INTO ai_usage (did, kind, at, amount) VALUES ($1, $2, $3, $4)", [did, kind, at, amount]);
      },
      deleteBefore: (before) => changes("DELETE FROM ai_usage WHERE at <= $1", [before]),
    },
  };
}
