import type { Engine } from "./engine.js";
import { storedAnswer, type IdempotentDbRow } from "./rows.js";
import type { IdempotencyStore, IdempotentBegin, IdempotentOutcome } from "./store.js";

const RESERVED: IdempotentOutcome = { kind: "reserved" };

export function idempotencyStore(engine: Engine): IdempotencyStore {
  return {
    // Not serial: the key's own row is locked instead, so requests under other keys need not wait. Not durable
    // on a database of one process: a reservation a power cut loses belongs to a request that never answered,
    // and a restart drops every reservation anyway (releaseAbandoned); the answer itself is stored synced.
    begin: (request) =>
      engine.transaction(
        async (sql) => {
          if (await sql.idempotency.insertReservation(request)) return RESERVED;
          const earlier = await sql.idempotency.lock(request);
          const outcome = earlier ? outcomeOf(earlier, request) : null;
          if (outcome) return outcome;
          await sql.idempotency.reserve(request);
          return RESERVED;
        },
        { serial: false, durable: engine.shared },
      ),
    complete: (id, answer, expiresAt) => engine.autocommit((sql) => sql.idempotency.complete(id, answer, expiresAt)),
    release: (id) => engine.autocommit((sql) => sql.idempotency.release(id)),
    renew: (id, leaseUntil) => engine.autocommit((sql) => sql.idempotency.renew(id, leaseUntil)),
    // A database of one process (SQLite): whatever was reserved at start belongs to a process that is gone.
    // A shared one: another replica may be running its requests; only lapsed leases are theirs no more.
    releaseAbandoned: (now) => engine.autocommit((sql) => (engine.shared ? sql.idempotency.releaseLapsed(now) : sql.idempotency.releaseAll())),
    sweepExpired: (now) => engine.autocommit((sql) => sql.idempotency.deleteExpired(now)),
  };
}

/**
 * What an earlier record of the same Idempotency-Key means for a new request; null when the new request
 * may take the key (the record expired, or its reservation was abandoned past its lease).
 */
function outcomeOf(row: IdempotentDbRow, request: IdempotentBegin): IdempotentOutcome | null {
  if (row.expires_at <= request.now) return null;
  if (row.fingerprint !== request.fingerprint) return { kind: "conflict" };
  const answer = storedAnswer(row);
  if (answer) return { kind: "replay", answer };
  return row.lease_until > request.now ? { kind: "in-progress" } : null;
}
