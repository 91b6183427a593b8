import type { AnchoredLeaf } from "@openchart/sdk";
import { describe, expect, it } from "vitest";
import { anchorDisplayFromState, anchorDisplayOf } from "./anchoring";

const anchored = { anchoredAt: 1_795_488_123, txHash: `0x${"aa".repeat(32)}` as const, blockNumber: 7 };
/** The whole leaf as the vault reports it; the list shows the three fields above. */
const anchoredLeaf: AnchoredLeaf = { ...anchored, leaf: `0x${"01".repeat(32)}`, proof: [], root: `0x${"02".repeat(32)}`, chainId: 31337, contract: `0x${"03".repeat(20)}` };

describe("anchoring state in the records list", () => {
  it("is pending until the record keeps its receipt, then anchored with time and transaction", () => {
    expect(anchorDisplayOf(undefined)).toEqual({ kind: "pending" });
    expect(anchorDisplayOf(JSON.stringify({ ...anchored, root: "0x", proof: [] }))).toEqual({ kind: "anchored", ...anchored });
  });

  it("says when a stored receipt cannot be read", () => {
    expect(anchorDisplayOf("{not json")).toMatchObject({ kind: "failed" });
    expect(anchorDisplayOf(JSON.stringify({ txHash: 1 }))).toMatchObject({ kind: "failed" });
  });

  it("follows the vault's states", () => {
    expect(anchorDisplayFromState({ status: "queued" })).toEqual({ kind: "pending" });
    expect(anchorDisplayFromState({ status: "failed", reason: "down" })).toEqual({ kind: "failed", reason: "down" });
    expect(anchorDisplayFromState({ status: "anchored", anchored: anchoredLeaf })).toEqual({ kind: "anchored", ...anchored });
  });
});
