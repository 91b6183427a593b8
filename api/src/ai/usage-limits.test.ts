import { describe, expect, it } from "vitest";
import { AiUsageLimits } from "./usage-limits.js";

const ALICE = "did:pkh:eip155:31337:0x00000000000000000000000000000000000000a1";
const BOB = "did:pkh:eip155:31337:0x00000000000000000000000000000000000000b0";
const T0 = 1_800_000_000_000;

describe("AiUsageLimits", () => {
  it("allows requestsPerMinute per DID over a sliding minute and says when the next one fits", () => {
    const limits = new AiUsageLimits({ requestsPerMinute: 2, requestsPerHour: 100, tokensPerDay: 1_000 });
    expect(limits.admit(ALICE, T0)).toEqual({ ok: true });
    expect(limits.admit(ALICE, T0 + 10_000)).toEqual({ ok: true });
    expect(limits.admit(ALICE, T0 + 20_000)).toEqual({ ok: false, reason: "at most 2 AI requests per minute", retryAfterMs: 40_000 });
    expect(limits.admit(BOB, T0 + 20_000)).toEqual({ ok: true });
    expect(limits.admit(ALICE, T0 + 60_001)).toEqual({ ok: true });
    expect(limits.admit(ALICE, T0 + 60_002)).toMatchObject({ ok: false, retryAfterMs: 9_998 });
  });

  it("allows requestsPerHour per DID; a refused request does not count", () => {
    const limits = new AiUsageLimits({ requestsPerMinute: 10, requestsPerHour: 3, tokensPerDay: 1_000 });
    for (const minute of [0, 1, 2]) expect(limits.admit(ALICE, T0 + minute * 60_000).ok).toBe(true);
    for (const minute of [3, 4]) {
      expect(limits.admit(ALICE, T0 + minute * 60_000)).toEqual({ ok: false, reason: "at most 3 AI requests per hour", retryAfterMs: 3_600_000 - minute * 60_000 });
    }
    expect(limits.admit(ALICE, T0 + 3_600_001).ok).toBe(true);
  });

  it("refuses a DID whose reported tokens reached the daily budget until enough use leaves the day", () => {
    const limits = new AiUsageLimits({ requestsPerMinute: 100, requestsPerHour: 100, tokensPerDay: 1_000 });
    expect(limits.admit(ALICE, T0).ok).toBe(true);
    limits.recordTokens(ALICE, 600, T0);
    expect(limits.admit(ALICE, T0 + 1_000).ok).toBe(true);
    limits.recordTokens(ALICE, 500, T0 + 3_600_000);
    expect(limits.admit(ALICE, T0 + 7_200_000)).toEqual({ ok: false, reason: "at most 1000 AI tokens per day", retryAfterMs: 86_400_000 - 7_200_000 });
    limits.recordTokens(ALICE, Number.NaN, T0);
    expect(limits.admit(BOB, T0 + 7_200_000).ok).toBe(true);
    expect(limits.admit(ALICE, T0 + 86_400_001).ok).toBe(true);
  });
});
