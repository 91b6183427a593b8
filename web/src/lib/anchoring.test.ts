import { describe, expect, it } from "vitest";
import { anchorDisplayFromState, anchorDisplayOf } from "./anchoring";

const anchored = { anchoredAt: 1_795_488_123, txHash: "0x" + "aa".repeat(32), blockNumber: 7 };

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
    expect(anchorDisplayFromState({ status: "anchored", anchored })).toEqual({ kind: "anchored", ...anchored });
  });
});
