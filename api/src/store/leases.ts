import type { Engine, Sql } from "./engine.js";
import type { LeaseFence, LeaseStore } from "./store.js";

/** A write under a lease its writer no longer holds: refused, and rolled back with its transaction. */
export class LeaseLost extends Error {
  override readonly name = "LeaseLost";
  constructor(readonly lease: string) {
    super(`the lease "${lease}" is no longer held by this process`);
  }
}

export function leaseStore(engine: Engine): LeaseStore {
  return {
    acquire: (name, holder, ttlMs) => engine.autocommit((sql) => sql.leases.acquire(name, holder, ttlMs)),
    release: (name, holder) => engine.autocommit((sql) => sql.leases.release(name, holder)),
    holder: (name) => engine.autocommit(async (sql) => (await sql.leases.holder(name)) ?? null),
    releaseAbandoned: async (name) => {
      if (!engine.shared) await engine.autocommit((sql) => sql.leases.clear(name));
    },
  };
}

/** Inside a transaction: throws LeaseLost unless the fence's lease is still its holder's (then kept so until the end). */
export async function checkFence(sql: Sql, fence: LeaseFence | undefined): Promise<void> {
  if (fence && !(await sql.leases.holds(fence.name, fence.holder))) throw new LeaseLost(fence.name);
}
