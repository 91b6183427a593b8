import { Check } from "typebox/value";
import { describe, expect, it } from "vitest";
import { LeafStateSchema, SubmitResultSchema } from "./anchoring.js";
import { withoutTrailingSlash } from "./url.js";

const leaf = `0x${"ab".repeat(32)}`;

describe("the anchoring service's answers", () => {
  it("validates a pending leaf and an anchored one", () => {
    expect(Check(LeafStateSchema, { status: "pending", leaf, submittedAt: 1 })).toBe(true);
    const anchored = { status: "anchored", leaf, proof: [leaf], root: leaf, chainId: 31337, contract: `0x${"cd".repeat(20)}`, txHash: leaf, blockNumber: 3, anchoredAt: 9 };
    expect(Check(LeafStateSchema, anchored)).toBe(true);
    expect(Check(LeafStateSchema, { ...anchored, contract: `0x${"CD".repeat(20)}` })).toBe(false);
    expect(Check(LeafStateSchema, { ...anchored, leaf: "0xab" })).toBe(false);
  });

  it("validates a leaf whose batch is mined but not yet deep enough", () => {
    const confirming = { status: "confirming", leaf, submittedAt: 1, txHash: leaf, blockNumber: 5, confirmations: 1, confirmationsRequired: 3 };
    expect(Check(LeafStateSchema, confirming)).toBe(true);
    expect(Check(LeafStateSchema, { ...confirming, confirmations: 0 })).toBe(false);
    const { txHash: _txHash, ...noTx } = confirming;
    expect(Check(LeafStateSchema, noTx)).toBe(false);
  });

  it("validates an accepted submission", () => {
    expect(Check(SubmitResultSchema, { leaves: [{ leaf, status: "pending" }], replayed: false })).toBe(true);
    expect(Check(SubmitResultSchema, { leaves: [{ leaf, status: "queued" }], replayed: false })).toBe(false);
  });

  it("joins routes to a base URL without its trailing slashes", () => {
    expect(withoutTrailingSlash("http://127.0.0.1:8787///")).toBe("http://127.0.0.1:8787");
    expect(withoutTrailingSlash("http://127.0.0.1:8787")).toBe("http://127.0.0.1:8787");
  });
});
