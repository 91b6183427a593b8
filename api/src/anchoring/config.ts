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
  confirmations: number;
  /** A sent anchoring transaction unmined for this long is replaced (same nonce, higher fee). */
  stuckTxMs: number;
  pollMs: number;
  /** The most the batcher pays per gas, in gwei. */
  maxFeeGwei: number;
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
    maxLeavesPerRequest: int(env, "ANCHOR_MAX_LEAVES_PER_REQUEST", 1_000, 1, 10_000),
    leavesPerDidPerDay: int(env, "ANCHOR_LEAVES_PER_DID_PER_DAY", 1_000, 1, 10_000_000),
    gasBudgetPerDay: int(env, "ANCHOR_GAS_BUDGET_PER_DAY", 20_000_000, 1, Number.MAX_SAFE_INTEGER),
  };
}

/** The fee cap in wei, as transactions carry it. */
export function maxFeePerGasOf(config: Pick<AnchoringConfig, "maxFeeGwei">): bigint {
  return BigInt(config.maxFeeGwei) * 1_000_000_000n;
}

export function checkAnchoringForChain(config: AnchoringConfig, chainId: number): void {
  refuseLocalDefault(
    config.anchorKey === LOCAL_DEV_ANCHOR_KEY,
    chainId,
    "API_ANCHOR_KEY is unset, and its default (a public Hardhat development key) is for the local chain only",
  );
}
