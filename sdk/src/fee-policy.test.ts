import { describe, expect, it } from "vitest";
import { capFees, feesWithin, gweiToWei as gwei, minPriorityFeeGweiOf, networkFees } from "./fee-policy.js";

describe("fee policy", () => {
  it("knows Polygon's minimum tip (PIP-35: 25 gwei on mainnet and Amoy) and none elsewhere", () => {
    expect(minPriorityFeeGweiOf(137)).toBe(25);
    expect(minPriorityFeeGweiOf(80002)).toBe(25);
    expect(minPriorityFeeGweiOf(31337)).toBe(0);
    expect(minPriorityFeeGweiOf(1)).toBe(0);
  });

  it("raises a tip below the floor, and the max fee by as much", () => {
    // A Polygon RPC suggesting a 1.5 gwei tip on a 30 gwei base fee (ethers' max fee: 2 x base + tip).
    const network = { maxFeePerGas: gwei(61) + 500_000_000n, maxPriorityFeePerGas: 1_500_000_000n };
    expect(feesWithin(network, { minPriorityFeePerGas: gwei(25), maxFeePerGas: gwei(1000) })).toEqual({ maxFeePerGas: gwei(85), maxPriorityFeePerGas: gwei(25) });
  });

  it("keeps a tip already above the floor", () => {
    const network = { maxFeePerGas: gwei(200), maxPriorityFeePerGas: gwei(40) };
    expect(feesWithin(network, { minPriorityFeePerGas: gwei(25), maxFeePerGas: gwei(1000) })).toEqual(network);
    expect(feesWithin(network, { minPriorityFeePerGas: 0n, maxFeePerGas: gwei(1000) })).toEqual(network);
  });

  it("caps both fees, the tip never above the max fee", () => {
    const network = { maxFeePerGas: gwei(900), maxPriorityFeePerGas: gwei(600) };
    expect(feesWithin(network, { minPriorityFeePerGas: gwei(25), maxFeePerGas: gwei(500) })).toEqual({ maxFeePerGas: gwei(500), maxPriorityFeePerGas: gwei(500) });
    expect(capFees({ maxFeePerGas: gwei(10), maxPriorityFeePerGas: gwei(20) }, gwei(500))).toEqual({ maxFeePerGas: gwei(20), maxPriorityFeePerGas: gwei(20) });
  });

  it("reads a legacy node's gas price as twice the max fee with a 1 gwei tip", () => {
    expect(networkFees({ maxFeePerGas: null, maxPriorityFeePerGas: null, gasPrice: gwei(3) })).toEqual({ maxFeePerGas: gwei(6), maxPriorityFeePerGas: gwei(1) });
  });
});
