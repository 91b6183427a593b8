/** EIP-1559 fees of a transaction, in wei per gas. */
export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** What an operator allows: the least tip offered and the most paid per gas, in wei. */
export interface FeePolicy {
  minPriorityFeePerGas: bigint;
  maxFeePerGas: bigint;
}

export const WEI_PER_GWEI = 1_000_000_000n;

/**
 * The least priority fee (tip) each chain's nodes admit to their pool, in gwei. Polygon PoS enforces
 * 25 gwei on mainnet and Amoy since PIP-35 (July 2024; mainnet asked 30 before): a lower tip is refused
 * with "transaction gas price below minimum", and the RPC's own `eth_maxPriorityFeePerGas` is not
 * always above it. Other chains: 0, the node's suggestion stands.
 */
export const MIN_PRIORITY_FEE_GWEI: Readonly<Record<number, number>> = { 137: 25, 80002: 25 };

export function minPriorityFeeGweiOf(chainId: number): number {
  return MIN_PRIORITY_FEE_GWEI[chainId] ?? 0;
}

/** A provider's `getFeeData()` answer as fees; a node without EIP-1559 fields gets twice its gas price and a 1 gwei tip. */
export function networkFees(feeData: { maxFeePerGas: bigint | null; maxPriorityFeePerGas: bigint | null; gasPrice: bigint | null }): Fees {
  return {
    maxFeePerGas: feeData.maxFeePerGas ?? (feeData.gasPrice ?? WEI_PER_GWEI) * 2n,
    maxPriorityFeePerGas: feeData.maxPriorityFeePerGas ?? WEI_PER_GWEI,
  };
}

/**
 * The fees to offer: the network's suggestion, its tip raised to the policy's floor (the max fee
 * raised by as much, so the room it leaves for the base fee to rise stays the same), and both capped
 * at the policy's max fee (the tip never above the max fee, as nodes require).
 */
export function feesWithin(network: Fees, policy: FeePolicy): Fees {
  const raise = policy.minPriorityFeePerGas > network.maxPriorityFeePerGas ? policy.minPriorityFeePerGas - network.maxPriorityFeePerGas : 0n;
  return capFees({ maxFeePerGas: network.maxFeePerGas + raise, maxPriorityFeePerGas: network.maxPriorityFeePerGas + raise }, policy.maxFeePerGas);
}

/** Both fees at most `cap`, and the max fee at least the tip. */
export function capFees(fees: Fees, cap: bigint): Fees {
  const maxFeePerGas = min(max(fees.maxFeePerGas, fees.maxPriorityFeePerGas), cap);
  return { maxFeePerGas, maxPriorityFeePerGas: min(fees.maxPriorityFeePerGas, maxFeePerGas) };
}

export const gweiToWei = (gwei: number): bigint => BigInt(gwei) * WEI_PER_GWEI;

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
