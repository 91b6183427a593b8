import { describe, expect, it } from "vitest";
import { MemoryNonceStore } from "./nonce-store.js";

describe("MemoryNonceStore", () => {
  it("accepts a nonce once until it expires", () => {
    const store = new MemoryNonceStore();
    expect(store.claim("k:n1", 2_000, 1_000)).toBe(true);
    expect(store.claim("k:n1", 2_000, 1_500)).toBe(false);
    expect(store.claim("k:n2", 2_000, 1_500)).toBe(true);
    // Past its expiry the request timestamp check refuses the request anyway, so the entry may go.
    expect(store.claim("k:n1", 4_000, 2_000)).toBe(true);
  });

  it("sweeps expired entries so memory follows the live window", () => {
    const store = new MemoryNonceStore();
    for (let i = 0; i < 100; i++) store.claim(`n${i}`, 1_500, 1_000);
    expect(store.size).toBe(100);
    store.claim("later", 5_000, 3_000);
    expect(store.size).toBe(1);
  });

  it("fails closed when full of live nonces, and recovers once they expire", () => {
    const store = new MemoryNonceStore({ maxEntries: 3 });
    for (const n of ["a", "b", "c"]) expect(store.claim(n, 10_000, 1_000)).toBe(true);
    expect(() => store.claim("d", 10_000, 1_000)).toThrow(/full \(3 live nonces\)/);
    expect(store.claim("a", 10_000, 1_000)).toBe(false);
    expect(store.claim("d", 20_000, 10_000)).toBe(true);
  });
});
