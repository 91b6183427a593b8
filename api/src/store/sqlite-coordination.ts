import type Database from "better-sqlite3";
import type { AiUsageSql, CounterSql, LeaseSql, LicensedSessionSql } from "./coordination-sql.js";

/** The database's clock in milliseconds (julianday keeps them). */
const NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";

/**
 * Rate-limit counters live in a file of their own, attached as `limits`: every counted request writes
 * one, and its commits are not synced (`synchronous = OFF`: a crash of the process loses nothing; a power
 * cut may lose the last counts, which only re-opens a window). In the API's own file every hit would
 * wait for a disk sync, and for the audit thread's write lock.
 */
export function attachCounters(db: Database.Database, file: string): void {
  db.prepare("ATTACH DATABASE ? AS limits").run(countersFileOf(file));
  db.pragma("limits.journal_mode = WAL");
  db.pragma("limits.synchronous = OFF");
  db.exec("CREATE TABLE IF NOT EXISTS limits.rate_counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL, resets_at INTEGER NOT NULL)");
}

/** `api.sqlite` -> `api-limits.sqlite`, beside it. */
export const countersFileOf = (file: string): string => file.replace(/(\.sqlite)?$/, "-limits.sqlite");

/** What replicas coordinate through, in SQLite: leases, counters, licensed sessions, AI use. */
export function sqliteCoordinationSql(db: Database.Database): { leases: LeaseSql; counters: CounterSql; licensedSessions: LicensedSessionSql; aiUsage: AiUsageSql } {
  const q = {
    leaseAcquire: db.prepare(
      `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, ${NOW_MS} + @ttl)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= ${NOW_MS}`,
    ),
    leaseRelease: db.prepare("DELETE FROM leases WHERE name = ? AND holder = ?"),
    leaseClear: db.prepare("DELETE FROM leases WHERE name = ?"),
    leaseHolder: db.prepare<[string], { holder: string }>(`SELECT holder FROM leases WHERE name = ? AND expires_at > ${NOW_MS}`),
    leaseHolds: db.prepare<[string, string], { held: number }>(`SELECT 1 AS held FROM leases WHERE name = ? AND holder = ? AND expires_at > ${NOW_MS}`),
    sessionUpsert: db.prepare(
      "INSERT INTO licensed_sessions (did, session_key, until, verified) VALUES (?, ?, ?, ?) ON CONFLICT (did, session_key) DO UPDATE SET until = excluded.until, verified = excluded.verified",
    ),
    doctorUpsert: db.prepare(
      "INSERT INTO licensed_doctors (did, verified, presented_at) VALUES (?, ?, ?) ON CONFLICT (did) DO UPDATE SET verified = excluded.verified, presented_at = excluded.presented_at",
    ),
    session: db.prepare<[string, string, number], { verified: string; until: number }>(
      "SELECT verified, until FROM licensed_sessions WHERE did = ? AND session_key = ? AND until > ?",
    ),
    latest: db.prepare<[string], { verified: string }>("SELECT verified FROM licensed_doctors WHERE did = ?"),
    sessionsEnded: db.prepare("DELETE FROM licensed_sessions WHERE until <= ?"),
    usageSince: db.prepare<[string, number], { kind: "request" | "tokens"; at: number; amount: number }>(
      "SELECT kind, at, amount FROM ai_usage WHERE did = ? AND at > ? ORDER BY at, rowid",
    ),
    usageInsert: db.prepare("INSERT INTO ai_usage (did, kind, at, amount) VALUES (?, ?, ?, ?)"),
    usageBefore: db.prepare("DELETE FROM ai_usage WHERE at <= ?"),
  };
  // Prepared on first use: only the server's own connection attaches the counters' file (attachCounters);
  // the audit thread's connection never counts.
  let counterStatements: { hit: Database.Statement<{ key: string; now: number; window: number }, { count: number; resets_at: number }>; sweep: Database.Statement<[number]> } | undefined;
  const counters = () =>
    (counterStatements ??= {
      hit: db.prepare(
        `INSERT INTO limits.rate_counters (key, count, resets_at) VALUES (@key, 1, @now + @window)
         ON CONFLICT (key) DO UPDATE SET count = CASE WHEN resets_at <= @now THEN 1 ELSE count + 1 END,
           resets_at = CASE WHEN resets_at <= @now THEN @now + @window ELSE resets_at END
         RETURNING count, resets_at`,
      ),
      sweep: db.prepare("DELETE FROM limits.rate_counters WHERE resets_at <= ?"),
    });

  return {
    leases: {
      acquire: async (name, holder, ttlMs) => q.leaseAcquire.run({ name, holder, ttl: ttlMs }).changes === 1,
      async release(name, holder) {
        q.leaseRelease.run(name, holder);
      },
      async clear(name) {
        q.leaseClear.run(name);
      },
      holder: async (name) => q.leaseHolder.get(name)?.holder,
      // The transaction is IMMEDIATE: no other connection writes (or takes the lease over) until it ends.
      holds: async (name, holder) => q.leaseHolds.get(name, holder) !== undefined,
    },
    counters: {
      hit: async (key, windowMs, now) => counters().hit.get({ key, now, window: windowMs })!,
      deleteExpired: async (now) => counters().sweep.run(now).changes,
    },
    licensedSessions: {
      async upsertSession(did, sessionKey, until, verified) {
        q.sessionUpsert.run(did, sessionKey, until, verified);
      },
      async upsertDoctor(did, verified, presentedAt) {
        q.doctorUpsert.run(did, verified, presentedAt);
      },
      session: async (did, sessionKey, now) => q.session.get(did, sessionKey, now),
      latest: async (did) => q.latest.get(did)?.verified,
      deleteEnded: async (now) => q.sessionsEnded.run(now).changes,
    },
    aiUsage: {
      // Every SQLite transaction here is IMMEDIATE: it already excludes every other writer.
      lock: async () => undefined,
      since: async (did, since) => q.usageSince.all(did, since),
      async insert(did, kind, at, amount) {
        q.usageInsert.run(did, kind, at, amount);
      },
      deleteBefore: async (before) => q.usageBefore.run(before).changes,
    },
  };
}
