import type { AiLimits } from "./config.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export type Admission = { ok: true } | { ok: false; reason: string; retryAfterMs: number };

interface Usage {
  /** Admission times over the last hour, oldest first. */
  requests: number[];
  /** Reported token use over the last day, oldest first. */
  tokens: { at: number; count: number }[];
}

/**
 * Per-DID request and token budgets over sliding windows, so a caller is never let through twice the
 * budget at a window's edge and `Retry-After` can say exactly when the next request fits. Kept in
 * memory: one API process, a restart forgets (an operator running several replicas sets each one's
 * share, or puts the limit in front).
 */
export class AiUsageLimits {
  private readonly usage = new Map<string, Usage>();
  private lastSweep = 0;

  constructor(private readonly limits: Pick<AiLimits, "requestsPerMinute" | "requestsPerHour" | "tokensPerDay">) {}

  /** Counts a request for `did` if every budget allows it; otherwise says which and for how long. */
  admit(did: string, now: number): Admission {
    this.sweep(now);
    const usage = this.usageOf(did, now);
    const lastMinute = usage.requests.filter((at) => at > now - MINUTE_MS);
    if (lastMinute.length >= this.limits.requestsPerMinute) {
      return { ok: false, reason: `at most ${this.limits.requestsPerMinute} AI requests per minute`, retryAfterMs: lastMinute[lastMinute.length - this.limits.requestsPerMinute]! + MINUTE_MS - now };
    }
    if (usage.requests.length >= this.limits.requestsPerHour) {
      return { ok: false, reason: `at most ${this.limits.requestsPerHour} AI requests per hour`, retryAfterMs: usage.requests[usage.requests.length - this.limits.requestsPerHour]! + HOUR_MS - now };
    }
    let spent = usage.tokens.reduce((sum, entry) => sum + entry.count, 0);
    if (spent >= this.limits.tokensPerDay) {
      // The budget reopens when enough of the oldest use has left the day.
      let at = now;
      for (const entry of usage.tokens) {
        spent -= entry.count;
        at = entry.at + DAY_MS;
        if (spent < this.limits.tokensPerDay) break;
      }
      return { ok: false, reason: `at most ${this.limits.tokensPerDay} AI tokens per day`, retryAfterMs: at - now };
    }
    usage.requests.push(now);
    return { ok: true };
  }

  /** Records the tokens the upstream reported for one of `did`'s requests. */
  recordTokens(did: string, count: number, now: number): void {
    if (!Number.isFinite(count) || count <= 0) return;
    this.usageOf(did, now).tokens.push({ at: now, count });
  }

  private usageOf(did: string, now: number): Usage {
    let usage = this.usage.get(did);
    if (!usage) {
      usage = { requests: [], tokens: [] };
      this.usage.set(did, usage);
    }
    while (usage.requests.length > 0 && usage.requests[0]! <= now - HOUR_MS) usage.requests.shift();
    while (usage.tokens.length > 0 && usage.tokens[0]!.at <= now - DAY_MS) usage.tokens.shift();
    return usage;
  }

  /** Forgets callers with nothing left in any window, at most once a minute. */
  private sweep(now: number): void {
    if (now - this.lastSweep < MINUTE_MS) return;
    this.lastSweep = now;
    for (const [did, usage] of this.usage) {
      const last = Math.max(usage.requests.at(-1) ?? 0, usage.tokens.at(-1)?.at ?? 0);
      if (last <= now - DAY_MS || (usage.tokens.length === 0 && last <= now - HOUR_MS)) this.usage.delete(did);
    }
  }
}
