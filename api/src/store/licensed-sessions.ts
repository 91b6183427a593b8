import type { Engine } from "./engine.js";
import { appendSealed } from "./audit.js";
import type { LicensedSessionStore } from "./store.js";

export function licensedSessionStore(engine: Engine): LicensedSessionStore {
  return {
    // One transaction: a licensed session always has its audit entry, and a refused audit licenses nothing.
    record: ({ did, sessionKey, until, verified, presentedAt }, audit, now) =>
      engine.transaction(async (sql) => {
        const json = JSON.stringify(verified);
        await sql.licensedSessions.upsertSession(did, sessionKey, until, json);
        await sql.licensedSessions.upsertDoctor(did, json, presentedAt);
        await appendSealed(sql, [audit], now);
      }),
    session: (did, sessionKey, now) =>
      engine.autocommit(async (sql) => {
        const row = await sql.licensedSessions.session(did, sessionKey, now);
        return row ? { verified: JSON.parse(row.verified) as unknown, until: row.until } : null;
      }),
    latest: (did) =>
      engine.autocommit(async (sql) => {
        const verified = await sql.licensedSessions.latest(did);
        return verified === undefined ? null : (JSON.parse(verified) as unknown);
      }),
    sweepEnded: (now) => engine.autocommit((sql) => sql.licensedSessions.deleteEnded(now)),
  };
}
