import type { BatchStore } from "../store/store.js";
import { ANCHOR_DAY_MS } from "./config.js";

/**
 * Whether the batcher's daily gas budget (`ANCHOR_GAS_BUDGET_PER_DAY`, in gas units) is spent: the gas
 * of the batches confirmed among those created in the last 24 hours, from the store, so a restart
 * does not forget it. While spent, the batcher builds no batch and `POST /anchors` answers 503: an
 * open-ended flood of signed-in callers (one DID each) cannot drain the batcher's key.
 */
export async function gasBudgetState(batches: Pick<BatchStore, "gasSince">, budget: number, now: number): Promise<{ spent: boolean; retryAfterMs: number }> {
  const { gas, oldest } = await batches.gasSince(now - ANCHOR_DAY_MS);
  // The oldest counted batch leaving the window frees the first gas.
  return { spent: gas >= budget, retryAfterMs: Math.max(1_000, (oldest ?? now) + ANCHOR_DAY_MS - now) };
}
