import { createHash } from "node:crypto";
import type { AnchoredLeaf, Hex } from "@openchart/sdk";
import { keyDigest } from "./auditLog.js";
import type { AcceptedLeaf, Store } from "./db.js";
import { apiError } from "./errors.js";

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
    private readonly store: Store,
    private readonly chain: { chainId: number; contract: Hex },
  ) {}

  /**
   * Stores the leaves durably (the store commits before this resolves) and logs the decision.
   * The same Idempotency-Key with the same leaves answers as the first time; with other leaves, 409.
   */
  async submit(leaves: readonly string[], idempotencyKey: string | undefined, subject: string): Promise<{ leaves: AcceptedLeaf[]; replayed: boolean }> {
    const unique = [...new Set(leaves.map((leaf) => leaf.toLowerCase() as Hex))];
    const bodyHash = createHash("sha256").update(unique.join(",")).digest("hex");
    const outcome = await this.store.acceptLeaves({
      leaves: unique,
      idempotency: idempotencyKey === undefined ? undefined : { key: idempotencyKey, bodyHash },
      audit: {
        subject,
        action: "anchor.submit",
        decision: "accepted",
        refs: { leaves: unique, ...(idempotencyKey === undefined ? {} : { idempotencyKey: keyDigest(idempotencyKey) }) },
      },
      now: Date.now(),
    });
    if (outcome.kind === "idempotency-conflict") {
      await this.store.appendAudit(
        { subject, action: "anchor.submit", decision: "refused", refs: { reason: "idempotency-key-reused", idempotencyKey: keyDigest(idempotencyKey!) } },
        Date.now(),
      );
      throw apiError("IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was already used with different leaves; use a new key for a new request");
    }
    return { leaves: outcome.leaves, replayed: outcome.replayed };
  }

  async lookup(leaf: string): Promise<AnchorReceipt | PendingLeaf> {
    const record = await this.store.leaf(leaf.toLowerCase() as Hex);
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
