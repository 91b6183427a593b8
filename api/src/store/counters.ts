import { createHash } from "node:crypto";
import type { Engine } from "./engine.js";
import type { CounterStore } from "./store.js";

export function counterStore(engine: Engine): CounterStore {
  return {
    hit: (key, windowMs, now) =>
      engine.autocommit(async (sql) => {
        const { count, resets_at } = await sql.counters.hit(rowKey(key), windowMs, now);
        return { count, resetsAt: resets_at };
      }),
    sweepExpired: (now) => engine.autocommit((sql) => sql.counters.deleteExpired(now)),
  };
}

/**
 * Keys name client addresses and DIDs; the table keeps a digest instead, so that it is not one more
 * list of who called when (the audit log is the record of that).
 */
const rowKey = (key: string): string => createHash("sha256").update(key).digest("base64url");
