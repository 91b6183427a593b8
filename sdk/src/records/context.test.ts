import { describe, expect, it } from "vitest";
import { newSalt } from "../commitment.js";
import type { SealedRecordContent } from "../streams/models.js";
import { summaryOf } from "./context.js";

const anchored = {
  leaf: newSalt(),
  proof: [newSalt()],
  root: newSalt(),
  chainId: 31337,
  contract: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
  txHash: newSalt(),
  blockNumber: 7,
  anchoredAt: 1_795_488_123,
};

function withReceipt(receipt?: string): ReturnType<typeof summaryOf> {
  const content: SealedRecordContent = {
    header: "sealed",
    keyVersion: 1,
    commitment: newSalt(),
    ...(receipt === undefined ? {} : { receipt }),
  };
  const header = {
    cid: "bafy",
    size: 3,
    mediaType: "text/plain",
    title: "t",
    createdAt: "2026-12-01T00:00:00.000Z",
    contentKey: "00".repeat(32),
    salt: newSalt(),
    sha256: newSalt(),
  };
  return summaryOf({ id: "kjz", owner: "did:key:z6Mk", content }, header);
}

describe("a record's stored receipt", () => {
  it("is absent until the record keeps one, then parsed once into its anchoring coordinates", () => {
    expect(withReceipt().receipt).toBeUndefined();
    expect(withReceipt(JSON.stringify(anchored)).receipt).toEqual({ status: "anchored", anchored });
  });

  it("is reported unreadable, not thrown, when the stored text is not a receipt", () => {
    for (const text of ["{not json", JSON.stringify({ txHash: 1 }), JSON.stringify({ ...anchored, root: "0x" })]) {
      expect(withReceipt(text).receipt).toEqual({ status: "failed", reason: "its anchoring receipt is unreadable" });
    }
  });
});
