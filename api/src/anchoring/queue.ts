import type { AnchoredLeaf, ConfirmingLeaf, Hex } from "@openchart/sdk";
import { keyDigest } from "../audit/log.js";
import type { AcceptedLeaf, BatchStore, LeafStore } from "../store/store.js";
import { apiError } from "../errors.js";
import { ANCHOR_DAY_MS } from "./config.js";
import { gasBudgetState } from "./gas-budget.js";

export interface AnchorLimits {
  leavesPerDidPerDay: number;
  gasBudgetPerDay: number;
  /** Blocks a batch's transaction must be under before its leaves are anchored (reported while confirming). */
  confirmations: number;
}

/** The part of a receipt the API knows (the sdk's `AnchoredLeaf`): documentSha256 and salt stay with the client. */
export type AnchorReceipt = { status: "anchored" } & AnchoredLeaf;

export interface PendingLeaf {
  status: "pending";
  leaf: Hex;
  submittedAt: number;
}

/** Accepting leaves and answering for them: what the anchoring routes do, without HTTP. */
export class AnchorQueue {
  constructor(
    private readonly leaves: LeafStore,
    private readonly batches: Pick<BatchStore, "gasSince">,
    private readonly chain: { chainId: number; contract: Hex },
    private readonly limits: AnchorLimits,
  ) {}

  /**
   * Stores the leaves durably (the store commits before this resolves) and logs the decision. Retries
   * under an Idempotency-Key are answered by the idempotency plugin (idempotency.ts) before this runs;
   * a leaf sent twice anyway is kept once. `subject` is the verified caller's DID, never a value the
   * request names: it is whose quota is counted, whose turn the leaves take in a batch, and whom the audit
   * entry is about. Refused: 503 while the batcher's daily gas budget is spent (queued leaves would only
   * wait), 429 beyond the caller's daily quota, each with Retry-After.
   */
  async submit(leaves: readonly string[], idempotencyKey: string | undefined, subject: string): Promise<{ leaves: AcceptedLeaf[]; replayed: boolean }> {
    const unique = uniqueLeaves(leaves);
    const now = Date.now();
    const budget = await gasBudgetState(this.batches, this.limits.gasBudgetPerDay, now);
    if (budget.spent) {
      throw apiError("ANCHOR_BUDGET_SPENT", "the anchoring service spent its daily gas budget; leaves are accepted again once it frees", {
        retryAfterSeconds: budget.retryAfterMs / 1000,
      });
    }
    const outcome = await this.leaves.accept({
      leaves: unique,
      subject,
      quota: { max: this.limits.leavesPerDidPerDay, windowMs: ANCHOR_DAY_MS },
      audit: {
        subject,
        action: "anchor.submit",
        decision: "accepted",
        refs: { leaves: unique, ...(idempotencyKey === undefined ? {} : { idempotencyKey: keyDigest(idempotencyKey) }) },
      },
      now,
    });
    if (!outcome.accepted) {
      throw apiError("ANCHOR_QUOTA_EXCEEDED", `at most ${this.limits.leavesPerDidPerDay} leaves per caller in 24 hours are queued`, {
        retryAfterSeconds: outcome.retryAfterMs / 1000,
      });
    }
    return { leaves: outcome.leaves, replayed: false };
  }

  async lookup(leaf: string): Promise<AnchorReceipt | ConfirmingLeaf | PendingLeaf> {
    const record = await this.leaves.get(leaf.toLowerCase() as Hex);
    if (!record) throw apiError("UNKNOWN_LEAF", `leaf ${leaf} was never submitted to this service`);
    const anchor = record.batch?.anchor;
    const mined = record.batch?.mined;
    if (!anchor && mined) {
      const { txHash, blockNumber, confirmations } = mined;
      return { status: "confirming", leaf: record.leaf, submittedAt: record.submittedAt, txHash, blockNumber, confirmations, confirmationsRequired: this.limits.confirmations };
    }
    if (!anchor || !record.proof) return { status: "pending", leaf: record.leaf, submittedAt: record.submittedAt };
    return {
      status: "anchored",
      leaf: record.leaf,
      proof: record.proof,
      root: record.batch!.root,
      chainId: this.chain.chainId,
      contract: this.chain.contract,
      txHash: anchor.txHash,
      blockNumber: anchor.blockNumber,
      anchoredAt: anchor.anchoredAt,
    };
  }
}

/** The leaves a request names, lower-cased and each once, in their first order: what a retry must repeat. */
export function uniqueLeaves(leaves: readonly string[]): Hex[] {
  return [...new Set(leaves.map((leaf) => leaf.toLowerCase() as Hex))];
}
