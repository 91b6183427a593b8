import { describe, expect, it } from "vitest";
// Test-only: an in-memory localStorage.
import { MemoryStorage } from "@openchart/testkit/memory-storage";
import { forgetSession, keepSession, KEPT_SESSION_KEY, readKeptSession } from "./kept-session";

const kept = { address: "0xab", account: "did:pkh:eip155:31337:0xab", serialized: "c2Vzc2lvbg", expiresAt: 10 * 60_000 };

describe("kept session", () => {
  it("is read back until a minute before it expires, then removed", () => {
    const storage = new MemoryStorage();
    keepSession(storage, kept);
    expect(readKeptSession(storage, 0)).toEqual(kept);
    expect(readKeptSession(storage, kept.expiresAt - 30_000)).toBeNull();
    expect(storage.getItem(KEPT_SESSION_KEY)).toBeNull();
  });

  it("is gone after sign-out, and a damaged entry reads as none", () => {
    const storage = new MemoryStorage();
    keepSession(storage, kept);
    forgetSession(storage);
    expect(readKeptSession(storage, 0)).toBeNull();
    storage.setItem(KEPT_SESSION_KEY, "{not json");
    expect(readKeptSession(storage, 0)).toBeNull();
    storage.setItem(KEPT_SESSION_KEY, JSON.stringify({ ...kept, serialized: 7 }));
    expect(readKeptSession(storage, 0)).toBeNull();
  });
});
