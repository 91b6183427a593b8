import { describe, expect, it } from "vitest";
import { initialFees, replacementFees } from "./fees.js";

const gwei = (n: number) => BigInt(n) * 1_000_000_000n;

describe("anchoring fees", () => {
  it("takes the network's fees within the cap", () => {
    expect(initialFees({ maxFeePerGas: gwei(30), maxPriorityFeePerGas: gwei(2) }, gwei(500))).toEqual({ maxFeePerGas: gwei(30), maxPriorityFeePerGas: gwei(2) });
    expect(initialFees({ maxFeePerGas: gwei(900), maxPriorityFeePerGas: gwei(600) }, gwei(500))).toEqual({ maxFeePerGas: gwei(500), maxPriorityFeePerGas: gwei(500) });
  });

  it("bumps a stuck transaction's fees by 25%, or to the network's if higher", () => {
    const previous = { maxFeePerGas: gwei(40), maxPriorityFeePerGas: gwei(2) };
    expect(replacementFees(previous, { maxFeePerGas: gwei(30), maxPriorityFeePerGas: gwei(1) }, gwei(500))).toEqual({
      maxFeePerGas: gwei(50) + 1n,
      maxPriorityFeePerGas: 2_500_000_001n,
    });
    expect(replacementFees(previous, { maxFeePerGas: gwei(80), maxPriorityFeePerGas: gwei(5) }, gwei(500))).toEqual({
      maxFeePerGas: gwei(80),
      maxPriorityFeePerGas: gwei(5),
    });
  });

  it("stops bumping at the cap rather than offering less than a node accepts", () => {
    expect(replacementFees({ maxFeePerGas: gwei(420), maxPriorityFeePerGas: gwei(2) }, { maxFeePerGas: gwei(1), maxPriorityFeePerGas: gwei(1) }, gwei(500))).toEqual({
      maxFeePerGas: gwei(500),
      maxPriorityFeePerGas: 2_500_000_001n,
    });
    expect(replacementFees({ maxFeePerGas: gwei(480), maxPriorityFeePerGas: gwei(2) }, { maxFeePerGas: gwei(1), maxPriorityFeePerGas: gwei(1) }, gwei(500))).toBeNull();
  });
});
