import { capFees, feesWithin, type FeePolicy, type Fees } from "@openchart/sdk";

export type { FeePolicy, Fees };

/** Nodes replace a pending transaction only for at least +10% on both fees; we offer +25%. */
const BUMP_PERCENT = 125n;
const MIN_REPLACEMENT_PERCENT = 110n;

/** A first transaction's fees: the network's suggestion, its tip at least the policy's floor, within the cap. */
export function initialFees(network: Fees, policy: FeePolicy): Fees {
  return feesWithin(network, policy);
}

/**
 * A replacement's fees: +25% on the stuck transaction's (or the network's, floored, if higher), within
 * the cap. Null when the cap leaves no room for the +10% a node demands: the batcher then waits for the
 * stuck transaction instead of paying more than the operator allowed.
 */
export function replacementFees(previous: Fees, network: Fees, policy: FeePolicy): Fees | null {
  const floored = feesWithin(network, policy);
  const bumped = capFees(
    {
      maxFeePerGas: max(floored.maxFeePerGas, (previous.maxFeePerGas * BUMP_PERCENT) / 100n + 1n),
      maxPriorityFeePerGas: max(floored.maxPriorityFeePerGas, (previous.maxPriorityFeePerGas * BUMP_PERCENT) / 100n + 1n),
    },
    policy.maxFeePerGas,
  );
  const enough = (next: bigint, before: bigint) => next * 100n >= before * MIN_REPLACEMENT_PERCENT;
  return enough(bumped.maxFeePerGas, previous.maxFeePerGas) && enough(bumped.maxPriorityFeePerGas, previous.maxPriorityFeePerGas) ? bumped : null;
}

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
