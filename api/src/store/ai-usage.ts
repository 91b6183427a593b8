import type { Engine } from "./engine.js";
import type { AiUsage, AiUsageStore } from "./store.js";

export function aiUsageStore(engine: Engine): AiUsageStore {
  return {
    // Not serial (the audit chain is not touched): the DID's own lock keeps its admissions one at a time.
    admit: (did, now, windowMs, decide) =>
      engine.transaction(
        async (sql) => {
          await sql.aiUsage.lock(did);
          const usage: AiUsage = { requests: [], tokens: [] };
          for (const row of await sql.aiUsage.since(did, now - windowMs)) {
            if (row.kind === "request") usage.requests.push(row.at);
            else usage.tokens.push({ at: row.at, count: row.amount });
          }
          const verdict = decide(usage);
          if (verdict.ok) await sql.aiUsage.insert(did, "request", now, 0);
          return verdict;
        },
        { serial: false },
      ),
    recordTokens: (did, count, now) => engine.autocommit((sql) => sql.aiUsage.insert(did, "tokens", now, count)),
    sweepBefore: (before) => engine.autocommit((sql) => sql.aiUsage.deleteBefore(before)),
  };
}
