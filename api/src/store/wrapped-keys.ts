import { appendSealed } from "./audit.js";
import type { Engine } from "./engine.js";
import type { WrappedKeyStore } from "./store.js";

export function wrappedKeyStore(engine: Engine): WrappedKeyStore {
  return {
    // One transaction: a stored blob always has its audit entry, and a refused audit stores nothing.
    put: (did, blob, audit, now) =>
      engine.transaction(async (sql) => {
        await sql.wrappedKeys.upsert(did, blob, now);
        await appendSealed(sql, [audit], now);
      }),
    get: (did) =>
      engine.autocommit(async (sql) => {
        const row = await sql.wrappedKeys.get(did);
        return row ? { blob: row.blob, updatedAt: row.updated_at } : null;
      }),
  };
}
