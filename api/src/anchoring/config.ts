import { gweiToWei, minPriorityFeeGweiOf, type FeePolicy } from "@openchart/sdk";
import { configError } from "../errors.js";
import { int, privateKey, refuseLocalDefault, type Env } from "../env.js";

/**
 * Hardhat's first well-known development account. Its key is public knowledge: it is a default for
 * the local chain only, and `checkAnchoringForChain` refuses it for any chain but Hardhat's (31337).
 */
export const LOCAL_DEV_ANCHOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

export interface AnchoringConfig {
  anchorKey: string;
  /** A batch is sent as soon as this many leaves wait... */
  batchSize: number;
  /** ...or when the oldest waiting leaf has waited this long. */
  intervalMs: number;
  /**
   * Blocks (the anchoring block included) a batch's transaction must be under before its leaves are
   * "anchored"; until then they are "confirming" (mined, shallower) or "pending". A transaction that
   * a reorganization drops before that is broadcast again.
   */
  confirmations: number;
  /** A sent anchoring transaction unmined for this long is replaced (same nonce, higher fee). */
  stuckTxMs: number;
  pollMs: number;
  /** The most the batcher pays per gas, in gwei. */
  maxFeeGwei: number;
  /** The least tip the batcher offers, in gwei; undefined: the chain's minimum (Polygon's 25 gwei, else none). */
  priorityFeeGwei: number | undefined;
  /** The most leaves one `POST /anchors` may carry. */
  maxLeavesPerRequest: number;
  /** The most leaves one caller (DID) may submit in any 24 hours. */
  leavesPerDidPerDay: number;
  /** The most gas (units, not wei: the fee cap bounds the price) the batcher's confirmed batches may use in any 24 hours. */
  gasBudgetPerDay: number;
}

/** The window of the per-caller quota and of the gas budget. */
export const ANCHOR_DAY_MS = 86_400_000;

/** The anchoring queue and batcher: `API_ANCHOR_KEY` and the `ANCHOR_*` keys. */
export function anchoringConfig(env: Env): AnchoringConfig {
  return {
    anchorKey: privateKey(env, "API_ANCHOR_KEY", LOCAL_DEV_ANCHOR_KEY),
    batchSize: int(env, "ANCHOR_BATCH_SIZE", 256, 1, 10_000),
    intervalMs: int(env, "ANCHOR_INTERVAL_MS", 5_000, 10, 86_400_000),
    confirmations: int(env, "ANCHOR_CONFIRMATIONS", 1, 1, 100),
    stuckTxMs: int(env, "ANCHOR_STUCK_TX_MS", 60_000, 100, 86_400_000),
    pollMs: int(env, "ANCHOR_POLL_MS", 250, 10, 60_000),
    maxFeeGwei: int(env, "ANCHOR_MAX_FEE_GWEI", 1_000, 1, 1_000_000),
    priorityFeeGwei: env.ANCHOR_PRIORITY_FEE_GWEI ? int(env, "ANCHOR_PRIORITY_FEE_GWEI", 0, 0, 1_000_000) : undefined,
    maxLeavesPerRequest: int(env, "ANCHOR_MAX_LEAVES_PER_REQUEST", 1_000, 1, 10_000),
    leavesPerDidPerDay: int(env, "ANCHOR_LEAVES_PER_DID_PER_DAY", 1_000, 1, 10_000_000),
    gasBudgetPerDay: int(env, "ANCHOR_GAS_BUDGET_PER_DAY", 20_000_000, 1, Number.MAX_SAFE_INTEGER),
  };
}

/**
 * The batcher's fees on `chainId`, in wei: its tip at least ANCHOR_PRIORITY_FEE_GWEI (default the chain's
 * minimum), everything at most ANCHOR_MAX_FEE_GWEI. A cap below the tip could never pay a node that
 * enforces that tip: refused at start-up rather than sending transactions no node admits.
 */
export function feePolicyOf(config: Pick<AnchoringConfig, "maxFeeGwei" | "priorityFeeGwei">, chainId: number): FeePolicy {
  const priorityGwei = config.priorityFeeGwei ?? minPriorityFeeGweiOf(chainId);
  if (priorityGwei > config.maxFeeGwei) {
    throw configError(`ANCHOR_MAX_FEE_GWEI (${config.maxFeeGwei}) is below the priority fee of ${priorityGwei} gwei the batcher must offer on chain ${chainId}`);
  }
  if (priorityGwei < minPriorityFeeGweiOf(chainId)) {
    throw configError(`ANCHOR_PRIORITY_FEE_GWEI (${priorityGwei}) is below chain ${chainId}'s minimum tip of ${minPriorityFeeGweiOf(chainId)} gwei: its nodes refuse such transactions`);
  }
  return { minPriorityFeePerGas: gweiToWei(priorityGwei), maxFeePerGas: gweiToWei(config.maxFeeGwei) };
}

export function checkAnchoringForChain(config: AnchoringConfig, chainId: number): void {
  refuseLocalDefault(
    config.anchorKey === LOCAL_DEV_ANCHOR_KEY,
    chainId,
    "API_ANCHOR_KEY is unset, and its default (a public Hardhat development key) is for the local chain only",
  );
}
