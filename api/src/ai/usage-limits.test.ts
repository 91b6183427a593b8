import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AiUsageLimits } from "./usage-limits.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { tempDir } from "../../test/stack.js";

// On the API's real (SQLite) store; store/coordination.test.ts shows the same use shared across stores on PostgreSQL.
const dir = tempDir("openchart-ai-usage-");
let store: Store;
const opened: Store[] = [];

beforeAll(async () => {
  store = await openStore(`sqlite:${dir.dir}/api.sqlite`);
});

afterAll(async () => {
  for (const other of opened) await other.close();
  await store?.close();
  dir.remove();
});

// Each test its own callers: they share one database.
let n = 0;
const did = () => `did:pkh:eip155:31337:0x${(++n).toString(16).padStart(40, "0")}`;
const T0 = 1_800_000_000_000;

describe("AiUsageLimits", () => {
  it("allows requestsPerMinute per DID over a sliding minute and says when the next one fits", async () => {
    const [ALICE, BOB] = [did(), did()];
    const limits = new AiUsageLimits(store.aiUsage, { requestsPerMinute: 2, requestsPerHour: 100, tokensPerDay: 1_000 });
    expect(await limits.admit(ALICE, T0)).toEqual({ ok: true });
    expect(await limits.admit(ALICE, T0 + 10_000)).toEqual({ ok: true });
    expect(await limits.admit(ALICE, T0 + 20_000)).toEqual({ ok: false, reason: "at most 2 AI requests per minute", retryAfterMs: 40_000 });
    expect(await limits.admit(BOB, T0 + 20_000)).toEqual({ ok: true });
    expect(await limits.admit(ALICE, T0 + 60_001)).toEqual({ ok: true });
    expect(await limits.admit(ALICE, T0 + 60_002)).toMatchObject({ ok: false, retryAfterMs: 9_998 });
  });

  it("allows requestsPerHour per DID; a refused request does not count", async () => {
    const ALICE = did();
    const limits = new AiUsageLimits(store.aiUsage, { requestsPerMinute: 10, requestsPerHour: 3, tokensPerDay: 1_000 });
    for (const minute of [0, 1, 2]) expect((await limits.admit(ALICE, T0 + minute * 60_000)).ok).toBe(true);
    for (const minute of [3, 4]) {
      expect(await limits.admit(ALICE, T0 + minute * 60_000)).toEqual({ ok: false, reason: "at most 3 AI requests per hour", retryAfterMs: 3_600_000 - minute * 60_000 });
    }
    expect((await limits.admit(ALICE, T0 + 3_600_001)).ok).toBe(true);
  });

  it("refuses a DID whose reported tokens reached the daily budget until enough use leaves the day", async () => {
    const [ALICE, BOB] = [did(), did()];
    const limits = new AiUsageLimits(store.aiUsage, { requestsPerMinute: 100, requestsPerHour: 100, tokensPerDay: 1_000 });
    expect((await limits.admit(ALICE, T0)).ok).toBe(true);
    await limits.recordTokens(ALICE, 600, T0);
    expect((await limits.admit(ALICE, T0 + 1_000)).ok).toBe(true);
    await limits.recordTokens(ALICE, 500, T0 + 3_600_000);
    expect(await limits.admit(ALICE, T0 + 7_200_000)).toEqual({ ok: false, reason: "at most 1000 AI tokens per day", retryAfterMs: 86_400_000 - 7_200_000 });
    await limits.recordTokens(ALICE, Number.NaN, T0);
    expect((await limits.admit(BOB, T0 + 7_200_000)).ok).toBe(true);
    expect((await limits.admit(ALICE, T0 + 86_400_001)).ok).toBe(true);
  });

  it("remembers a caller's use across a restart", async () => {
    const ALICE = did();
    const limits = { requestsPerMinute: 1, requestsPerHour: 100, tokensPerDay: 1_000 };
    expect((await new AiUsageLimits(store.aiUsage, limits).admit(ALICE, T0)).ok).toBe(true);
    const reopened = await openStore(`sqlite:${dir.dir}/api.sqlite`);
    opened.push(reopened);
    expect(await new AiUsageLimits(reopened.aiUsage, limits).admit(ALICE, T0 + 1_000)).toMatchObject({ ok: false, retryAfterMs: 59_000 });
  });
});
