import { describe, expect, it } from "vitest";
import { gweiToWei as gwei } from "@openchart/sdk";
import { feePolicyOf } from "./config.js";
import { initialFees, replacementFees } from "./fees.js";
import { ConfigError } from "../errors.js";

const cap500 = { minPriorityFeePerGas: 0n, maxFeePerGas: gwei(500) };
const polygon = { minPriorityFeePerGas: gwei(25), maxFeePerGas: gwei(500) };

describe("anchoring fees", () => {
  it("takes the network's fees within the cap", () => {
    expect(initialFees({ maxFeePerGas: gwei(30), maxPriorityFeePerGas: gwei(2) }, cap500)).toEqual({ maxFeePerGas: gwei(30), maxPriorityFeePerGas: gwei(2) });
    expect(initialFees({ maxFeePerGas: gwei(900), maxPriorityFeePerGas: gwei(600) }, cap500)).toEqual({ maxFeePerGas: gwei(500), maxPriorityFeePerGas: gwei(500) });
  });

  it("offers at least Polygon's 25 gwei tip when the node suggests less", () => {
    expect(initialFees({ maxFeePerGas: gwei(62), maxPriorityFeePerGas: gwei(2) }, polygon)).toEqual({ maxFeePerGas: gwei(85), maxPriorityFeePerGas: gwei(25) });
  });

  it("bumps a stuck transaction's fees by 25%, or to the network's if higher", () => {
    const previous = { maxFeePerGas: gwei(40), maxPriorityFeePerGas: gwei(2) };
    expect(replacementFees(previous, { maxFeePerGas: gwei(30), maxPriorityFeePerGas: gwei(1) }, cap500)).toEqual({
      maxFeePerGas: gwei(50) + 1n,
      maxPriorityFeePerGas: 2_500_000_001n,
    });
    expect(replacementFees(previous, { maxFeePerGas: gwei(80), maxPriorityFeePerGas: gwei(5) }, cap500)).toEqual({
      maxFeePerGas: gwei(80),
      maxPriorityFeePerGas: gwei(5),
    });
  });

  it("never replaces below the chain's minimum tip", () => {
    const previous = { maxFeePerGas: gwei(85), maxPriorityFeePerGas: gwei(25) };
    const next = replacementFees(previous, { maxFeePerGas: gwei(62), maxPriorityFeePerGas: gwei(2) }, polygon)!;
    expect(next.maxPriorityFeePerGas).toBe(gwei(25) + gwei(25) / 4n + 1n);
    expect(next.maxFeePerGas).toBeGreaterThanOrEqual((gwei(85) * 110n) / 100n);
  });

  it("stops bumping at the cap rather than offering less than a node accepts", () => {
    expect(replacementFees({ maxFeePerGas: gwei(420), maxPriorityFeePerGas: gwei(2) }, { maxFeePerGas: gwei(1), maxPriorityFeePerGas: gwei(1) }, cap500)).toEqual({
      maxFeePerGas: gwei(500),
      maxPriorityFeePerGas: 2_500_000_001n,
    });
    expect(replacementFees({ maxFeePerGas: gwei(480), maxPriorityFeePerGas: gwei(2) }, { maxFeePerGas: gwei(1), maxPriorityFeePerGas: gwei(1) }, cap500)).toBeNull();
  });
});

describe("fee policy from configuration", () => {
  it("defaults the tip to the chain's minimum: 25 gwei on Polygon and Amoy, none locally", () => {
    expect(feePolicyOf({ maxFeeGwei: 1000, priorityFeeGwei: undefined }, 80002)).toEqual({ minPriorityFeePerGas: gwei(25), maxFeePerGas: gwei(1000) });
    expect(feePolicyOf({ maxFeeGwei: 1000, priorityFeeGwei: undefined }, 137).minPriorityFeePerGas).toBe(gwei(25));
    expect(feePolicyOf({ maxFeeGwei: 1000, priorityFeeGwei: undefined }, 31337).minPriorityFeePerGas).toBe(0n);
    expect(feePolicyOf({ maxFeeGwei: 1000, priorityFeeGwei: 40 }, 137).minPriorityFeePerGas).toBe(gwei(40));
  });

  it("refuses a tip below Polygon's minimum, and a cap below the tip", () => {
    expect(() => feePolicyOf({ maxFeeGwei: 1000, priorityFeeGwei: 5 }, 137)).toThrow(ConfigError);
    expect(() => feePolicyOf({ maxFeeGwei: 20, priorityFeeGwei: undefined }, 80002)).toThrow(/ANCHOR_MAX_FEE_GWEI \(20\)/);
  });
});
