import { describe, expect, it } from "vitest";
import { VerifiedCacaoCache } from "./verified-cacao-cache.js";

describe("VerifiedCacaoCache", () => {
  it("remembers at most maxEntries CIDs, forgetting the oldest first", () => {
    const cache = new VerifiedCacaoCache(2);
    cache.add("ipfs://a");
    cache.add("ipfs://b");
    cache.add("ipfs://a");
    cache.add("ipfs://c");
    expect([cache.has("ipfs://a"), cache.has("ipfs://b"), cache.has("ipfs://c"), cache.size]).toEqual([false, true, true, 2]);
  });
});
