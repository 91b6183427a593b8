// The SQL of what API replicas coordinate through (leases, rate counters, licensed sessions, AI use), part
// of an engine's `Sql` (engine.ts); written by sqlite-coordination.ts and postgres-coordination.ts.

/** Times are the database's own clock (milliseconds since the epoch), not the calling process's. */
export interface LeaseSql {
  /** Inserts the lease, or takes it over when lapsed or renews it when `holder`'s; true when it did. */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
  /** Deletes the lease, whoever holds it. */
  clear(name: string): Promise<void>;
  /** The holder of the unexpired lease. */
  holder(name: string): Promise<string | undefined>;
  /** True when `holder` holds the unexpired lease; the lease is then kept from a takeover until the transaction ends. */
  holds(name: string, holder: string): Promise<boolean>;
}

export interface CounterSql {
  /** Adds one to the key's count, first starting a new window when the last one ended by `now`. */
  hit(key: string, windowMs: number, now: number): Promise<{ count: number; resets_at: number }>;
  deleteExpired(now: number): Promise<number>;
}

export interface LicensedSessionSql {
  upsertSession(did: string, sessionKey: string, until: number, verified: string): Promise<void>;
  upsertDoctor(did: string, verified: string, presentedAt: number): Promise<void>;
  /** The grant while it lasts: `until` after `now`. */
  session(did: string, sessionKey: string, now: number): Promise<{ verified: string; until: number } | undefined>;
  latest(did: string): Promise<string | undefined>;
  deleteEnded(now: number): Promise<number>;
}

export interface AiUsageSql {
  /** Keeps other writers of this DID's use out until the transaction ends. */
  lock(did: string): Promise<void>;
  /** The DID's records after `since`, oldest first. */
  since(did: string, since: number): Promise<{ kind: "request" | "tokens"; at: number; amount: number }[]>;
  insert(did: string, kind: "request" | "tokens", at: number, amount: number): Promise<void>;
  deleteBefore(before: number): Promise<number>;
}
