import { describe, expect, it } from "vitest";
// Test-only: an in-memory localStorage.
import { MemoryStorage } from "@openchart/testkit/memory-storage";
import type { ApiClient } from "./api";
import { forgetDevice, listDevices, signOutEverywhere } from "./devices";
import { KEPT_SESSION_KEY } from "./kept-session";
import { problemError } from "./problems";

const THIS = "a".repeat(32);
const OTHER = "b".repeat(32);
const T0 = Date.UTC(2026, 10, 24, 1, 2);

/** An API that answers from a table and records what was asked. */
function answeringApi(answers: Record<string, () => unknown>) {
  const sent: string[] = [];
  const api = {
    signed: async (method: string, path: string) => {
      sent.push(`${method} ${path}`);
      const answer = answers[`${method} ${path}`];
      if (!answer) throw new Error(`unexpected ${method} ${path}`);
      return answer();
    },
  } as unknown as Pick<ApiClient, "signed">;
  return { api, sent };
}

function signedInStorage(): MemoryStorage {
  const storage = new MemoryStorage();
  storage.setItem(KEPT_SESSION_KEY, "{}");
  return storage;
}

describe("the account's devices", () => {
  it("lists this device first, then the most recently used, in words", async () => {
    const { api } = answeringApi({
      "GET /keys/devices": () => ({
        devices: [
          { deviceId: OTHER, label: "Firefox on Android", createdAt: T0, lastUsedAt: T0 + 60_000 },
          { deviceId: "c".repeat(32), label: "Safari on macOS", createdAt: T0, lastUsedAt: T0 + 120_000 },
          { deviceId: THIS, label: "Chromium on Linux", createdAt: T0, lastUsedAt: T0 },
        ],
      }),
    });
    const rows = await listDevices(api, THIS);
    expect(rows.map((r) => [r.label, r.thisDevice])).toEqual([
      ["Chromium on Linux", true],
      ["Safari on macOS", false],
      ["Firefox on Android", false],
    ]);
    expect(rows[0]!.description).toBe("Chromium on Linux (this device): added 2026-11-24 01:02 UTC, last opened 2026-11-24 01:02 UTC");
  });

  it("forgetting another device deletes its entry and keeps this device signed in", async () => {
    const { api, sent } = answeringApi({ [`DELETE /keys/devices/${OTHER}`]: () => undefined });
    const storage = signedInStorage();
    expect(await forgetDevice(api, OTHER, THIS, storage)).toBe(false);
    expect(sent).toEqual([`DELETE /keys/devices/${OTHER}`]);
    expect(storage.getItem(KEPT_SESSION_KEY)).toBe("{}");
  });

  it("forgetting this device is a sign-out: the kept session goes too, even when the entry was already gone", async () => {
    const { api } = answeringApi({
      [`DELETE /keys/devices/${THIS}`]: () => {
        throw problemError(404, { code: "DEVICE_UNKNOWN" });
      },
    });
    const storage = signedInStorage();
    expect(await forgetDevice(api, THIS, THIS, storage)).toBe(true);
    expect(storage.getItem(KEPT_SESSION_KEY)).toBeNull();
  });

  it("sign out everywhere deletes every entry, then signs this device out", async () => {
    const { api, sent } = answeringApi({ "DELETE /keys/devices": () => ({ revoked: 3 }) });
    const storage = signedInStorage();
    expect(await signOutEverywhere(api, storage)).toBe(3);
    expect(sent).toEqual(["DELETE /keys/devices"]);
    expect(storage.getItem(KEPT_SESSION_KEY)).toBeNull();
  });

  it("when the API refuses, nothing is forgotten here: the user stays signed in to try again", async () => {
    const { api } = answeringApi({
      "DELETE /keys/devices": () => {
        throw problemError(429, { code: "RATE_LIMITED" });
      },
    });
    const storage = signedInStorage();
    await expect(signOutEverywhere(api, storage)).rejects.toMatchObject({ code: "RATE_LIMITED" });
    await expect(forgetDevice(answeringApi({}).api, OTHER, THIS, storage)).rejects.toThrow(/unexpected DELETE/);
    expect(storage.getItem(KEPT_SESSION_KEY)).toBe("{}");
  });
});
