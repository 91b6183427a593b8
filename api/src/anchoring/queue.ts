import type { AnchoredLeaf, Hex } from "@openchart/sdk";
import { keyDigest } from "../audit/log.js";
import type { AcceptedLeaf, LeafStore } from "../store/store.js";
import { apiError } from "../errors.js";

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
    private readonly chain: { chainId: number; contract: Hex },
  ) {}

  /**
   * Stores the leaves durably (the store commits before this resolves) and logs the decision. Retries
   * under an Idempotency-Key are answered by the idempotency plugin (idempotency.ts) before this runs;
   * a leaf sent twice anyway is kept once.
   */
  async submit(leaves: readonly string[], idempotencyKey: string | undefined, subject: string): Promise<{ leaves: AcceptedLeaf[]; replayed: boolean }> {
    const unique = uniqueLeaves(leaves);
    const outcome = await this.leaves.accept({
      leaves: unique,
      audit: {
        subject,
        action: "anchor.submit",
        decision: "accepted",
        refs: { leaves: unique, ...(idempotencyKey === undefined ? {} : { idempotencyKey: keyDigest(idempotencyKey) }) },
      },
      now: Date.now(),
    });
    return { leaves: outcome.leaves, replayed: false };
  }

  async lookup(leaf: string): Promise<AnchorReceipt | PendingLeaf> {
    const record = await this.leaves.get(leaf.toLowerCase() as Hex);
    if (!record) throw apiError("UNKNOWN_LEAF", `leaf ${leaf} was never submitted to this service`);
    const anchor = record.batch?.anchor;
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
