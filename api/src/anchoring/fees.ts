/** EIP-1559 fees of an anchoring transaction, in wei per gas. */
export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** Nodes replace a pending transaction only for at least +10% on both fees; we offer +25%. */
const BUMP_PERCENT = 125n;
const MIN_REPLACEMENT_PERCENT = 110n;

/** A first transaction's fees: the network's suggestion, within the operator's cap. */
export function initialFees(network: Fees, cap: bigint): Fees {
  return clamp(network, cap);
}

/**
 * A replacement's fees: +25% on the stuck transaction's (or the network's, if higher), within the
 * cap. Null when the cap leaves no room for the +10% a node demands: the batcher then waits for the
 * stuck transaction instead of paying more than the operator allowed.
 */
export function replacementFees(previous: Fees, network: Fees, cap: bigint): Fees | null {
  const bumped = clamp(
    {
      maxFeePerGas: max(network.maxFeePerGas, (previous.maxFeePerGas * BUMP_PERCENT) / 100n + 1n),
      maxPriorityFeePerGas: max(network.maxPriorityFeePerGas, (previous.maxPriorityFeePerGas * BUMP_PERCENT) / 100n + 1n),
    },
    cap,
  );
  const enough = (next: bigint, before: bigint) => next * 100n >= before * MIN_REPLACEMENT_PERCENT;
  return enough(bumped.maxFeePerGas, previous.maxFeePerGas) && enough(bumped.maxPriorityFeePerGas, previous.maxPriorityFeePerGas) ? bumped : null;
}

function clamp(fees: Fees, cap: bigint): Fees {
  const maxFeePerGas = min(max(fees.maxFeePerGas, fees.maxPriorityFeePerGas), cap);
  return { maxFeePerGas, maxPriorityFeePerGas: min(fees.maxPriorityFeePerGas, maxFeePerGas) };
}

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
