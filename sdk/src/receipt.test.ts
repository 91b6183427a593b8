import { describe, expect, it } from "vitest";
import { newSalt } from "./commitment.js";
import { formatUtc, parseReceipt } from "./receipt.js";

const valid = {
  documentSha256: newSalt(),
  salt: newSalt(),
  leaf: newSalt(),
  proof: [newSalt(), newSalt()],
  root: newSalt(),
  chainId: 80002,
  contract: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  txHash: newSalt(),
  blockNumber: 12,
  anchoredAt: 1_790_000_000,
};

describe("parseReceipt", () => {
  it("accepts a well-formed receipt and lower-cases its hex", () => {
    const parsed = parseReceipt({ ...valid, root: valid.root.toUpperCase().replace("0X", "0x") });
    expect(parsed.root).toBe(valid.root);
    expect(parsed.contract).toBe(valid.contract.toLowerCase());
  });

  it.each([
    [null, /not a JSON object/],
    [[], /not a JSON object/],
    [{ ...valid, leaf: "0x12" }, /leaf must be 32-byte hex/],
    [{ ...valid, proof: ["0x12"] }, /proof must be an array of 32-byte hex/],
    [{ ...valid, proof: "x" }, /proof must be an array/],
    [{ ...valid, chainId: "137" }, /chainId must be a non-negative integer/],
    [{ ...valid, blockNumber: -1 }, /blockNumber must be a non-negative integer/],
    [{ ...valid, anchoredAt: 1.5 }, /anchoredAt must be a non-negative integer/],
    [{ ...valid, contract: "0xabc" }, /contract must be an address/],
  ])("refuses %j", (input, reason) => {
    expect(() => parseReceipt(input)).toThrow(reason);
  });
});

describe("formatUtc", () => {
  it("formats block time as UTC", () => {
    expect(formatUtc(0)).toBe("1970-01-01 00:00:00 UTC");
  });
});
