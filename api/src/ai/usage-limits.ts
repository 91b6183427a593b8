import type { AiLimits } from "./config.js";
import type { AiUsage, AiUsageStore } from "../store/store.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type Admission = { ok: true } | { ok: false; reason: string; retryAfterMs: number };

/**
 * Per-DID request and token budgets over sliding windows, so a caller is never let through twice the
 * budget at a window's edge and `Retry-After` can say exactly when the next request fits. The use is
 * kept in the store every replica shares: a caller is counted once whichever replica they reach, and a
 * restart forgets nothing.
 */
export class AiUsageLimits {
  constructor(
    private readonly store: AiUsageStore,
    private readonly limits: Pick<AiLimits, "requestsPerMinute" | "requestsPerHour" | "tokensPerDay">,
  ) {}

  /** Counts a request for `did` if every budget allows it; otherwise says which and for how long. */
  admit(did: string, now: number): Promise<Admission> {
    return this.store.admit(did, now, DAY_MS, (usage) => admission(usage, this.limits, now));
  }

  /** Records the tokens the upstream reported for one of `did`'s requests. */
  async recordTokens(did: string, count: number, now: number): Promise<void> {
    if (!Number.isFinite(count) || count <= 0) return;
    await this.store.recordTokens(did, Math.round(count), now);
  }
}

/** Whether one more request fits a caller's use of the last day (requests and reported tokens, oldest first). */
export function admission(usage: AiUsage, limits: Pick<AiLimits, "requestsPerMinute" | "requestsPerHour" | "tokensPerDay">, now: number): Admission {
  const lastHour = usage.requests.filter((at) => at > now - HOUR_MS);
  const lastMinute = lastHour.filter((at) => at > now - MINUTE_MS);
  if (lastMinute.length >= limits.requestsPerMinute) {
    return { ok: false, reason: `at most ${limits.requestsPerMinute} AI requests per minute`, retryAfterMs: lastMinute[lastMinute.length - limits.requestsPerMinute]! + MINUTE_MS - now };
  }
  if (lastHour.length >= limits.requestsPerHour) {
    return { ok: false, reason: `at most ${limits.requestsPerHour} AI requests per hour`, retryAfterMs: lastHour[lastHour.length - limits.requestsPerHour]! + HOUR_MS - now };
  }
  const tokens = usage.tokens.filter((entry) => entry.at > now - DAY_MS);
  let spent = tokens.reduce((sum, entry) => sum + entry.count, 0);
  if (spent >= limits.tokensPerDay) {
    // The budget reopens when enough of the oldest use has left the day.
    let at = now;
    for (const entry of tokens) {
      spent -= entry.count;
      at = entry.at + DAY_MS;
      if (spent < limits.tokensPerDay) break;
    }
    return { ok: false, reason: `at most ${limits.tokensPerDay} AI tokens per day`, retryAfterMs: at - now };
  }
  return { ok: true };
}
