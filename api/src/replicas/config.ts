import { int, type Env } from "../env.js";
import { configError } from "../errors.js";

export interface ReplicasConfig {
  /**
   * How long the batcher's lease lasts without renewal: once the replica holding it dies, another takes
   * the batcher over within this (plus a fifth of it). Its holder renews it every third of it.
   */
  batcherLeaseMs: number;
}

/** What API replicas sharing one database agree on: `ANCHOR_LEASE_MS`. */
export function replicasConfig(env: Env): ReplicasConfig {
  return { batcherLeaseMs: int(env, "ANCHOR_LEASE_MS", 5_000, 500, 600_000) };
}

/**
 * A server on a shared database (PostgreSQL) is one of possibly several replicas, which must agree on
 * what each would otherwise make up for itself at start: the secret of the API tokens (a token one
 * replica issued must pass at the others) and the credential agent's store and key (a challenge issued
 * by one is answered at another; the issuer DID and its status lists are one). Refused at start rather
 * than failing for some requests depending on which replica they reach.
 */
export function checkSharedDatabaseConfig(env: Env): void {
  const missing = ["API_SESSION_SECRET", "AGENT_DATABASE_URL", "AGENT_SECRET_KEY"].filter((key) => !env[key]);
  if (missing.length > 0) {
    throw configError(
      `API_DATABASE_URL is PostgreSQL, which API replicas share: set ${missing.join(", ")} (the same on every replica; see "Running more than one API" in the README)`,
    );
  }
}
