import type { AnchoredLeaf } from "@openchart/sdk";
import { describe, expect, it } from "vitest";
import { anchorDisplayFromState, anchorDisplayOf } from "./anchoring";

const anchored = { anchoredAt: 1_795_488_123, txHash: `0x${"aa".repeat(32)}` as const, blockNumber: 7 };
const hash = `0x${"bb".repeat(32)}` as const;
/** A receipt's public part as the vault reads it from a record. */
const storedLeaf: AnchoredLeaf = { ...anchored, leaf: hash, proof: [], root: hash, chainId: 31337, contract: `0x${"11".repeat(20)}` as const };

describe("anchoring state in the records list", () => {
  it("is pending until the record keeps its receipt, then anchored with time and transaction", () => {
    expect(anchorDisplayOf(undefined)).toEqual({ kind: "pending" });
    expect(anchorDisplayOf({ status: "anchored", anchored: storedLeaf })).toEqual({ kind: "anchored", ...anchored });
  });

  it("says when a stored receipt cannot be read", () => {
    // The vault parses the stored receipt (its tests cover what is unreadable); the list shows why.
    const unreadable = "its anchoring receipt is unreadable";
    expect(anchorDisplayOf({ status: "failed", reason: unreadable })).toEqual({ kind: "failed", reason: unreadable });
  });

  it("follows the vault's states", () => {
    expect(anchorDisplayFromState({ status: "queued" })).toEqual({ kind: "pending" });
    expect(anchorDisplayFromState({ status: "failed", reason: "down" })).toEqual({ kind: "failed", reason: "down" });
    expect(anchorDisplayFromState({ status: "confirming", blockNumber: 9, confirmations: 1, confirmationsRequired: 3 })).toEqual({
      kind: "confirming",
      blockNumber: 9,
      confirmations: 1,
      confirmationsRequired: 3,
    });
    expect(anchorDisplayFromState({ status: "anchored", anchored: storedLeaf })).toEqual({ kind: "anchored", ...anchored });
  });
});
