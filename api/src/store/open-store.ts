import { AuditCommitter } from "../audit/committer.js";
import { configError } from "../errors.js";
import type { Engine } from "./engine.js";
import { auditStore } from "./audit.js";
import { batchStore } from "./batches.js";
import { idempotencyStore } from "./idempotency.js";
import { leafStore } from "./leaves.js";
import { nonceStore } from "./nonces.js";
import { wrappedKeyStore } from "./wrapped-keys.js";
import { deviceKeyStore } from "./devices.js";
import { notificationStore } from "./notifications.js";
import { recoveryStore } from "./recovery.js";
import { leaseStore } from "./leases.js";
import { counterStore } from "./counters.js";
import { licensedSessionStore } from "./licensed-sessions.js";
import { aiUsageStore } from "./ai-usage.js";
import { pinStore } from "./pins.js";
import { directoryStore, profileStore } from "./directory.js";
import { openPostgresEngine } from "./postgres.js";
import { openSqliteEngine } from "./sqlite.js";
import type { Store } from "./store.js";

export interface OpenStoreOptions {
  /** SQLite: commit audit entries from a worker thread (the server does; see AuditCommitter). */
  auditThread?: boolean;
}

/** Opens the store that `API_DATABASE_URL` names: `sqlite:<file>` or a `postgres://` URL. */
export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (databaseUrl.startsWith("sqlite:")) {
    const file = databaseUrl.slice("sqlite:".length);
    const engine = openSqliteEngine(file);
    // Started after the engine, whose connection has created the tables the thread writes.
    return storeOn(engine, options.auditThread && AuditCommitter.available ? new AuditCommitter(file) : undefined);
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return storeOn(await openPostgresEngine(databaseUrl));
  throw configError(`API_DATABASE_URL must be sqlite:<file> or postgres://..., got "${databaseUrl}"`);
}

function storeOn(engine: Engine, committer?: AuditCommitter): Store {
  return {
    leaves: leafStore(engine),
    batches: batchStore(engine),
    audit: auditStore(engine, committer && ((drafts, now) => committer.append(drafts, now))),
    idempotency: idempotencyStore(engine),
    nonces: nonceStore(engine),
    wrappedKeys: wrappedKeyStore(engine),
    devices: deviceKeyStore(engine),
    recovery: recoveryStore(engine),
    notifications: notificationStore(engine),
    leases: leaseStore(engine),
    counters: counterStore(engine),
    licensedSessions: licensedSessionStore(engine),
    aiUsage: aiUsageStore(engine),
    shared: engine.shared,
    pins: pinStore(engine),
    directory: directoryStore(engine),
    profiles: profileStore(engine),
    ping: () => engine.ping(),
    async close() {
      await committer?.close();
      await engine.close();
    },
  };
}
