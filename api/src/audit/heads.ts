import type { AuditHeadReceipt } from "@openchart/sdk";
import type { Store } from "../store/store.js";

/**
 * The audit heads with their receipts, as `GET /audit/heads` publishes them and as the operator's
 * `openchart-api audit verify` checks them: one definition, so the auditor checks what the operator does.
 * Hashes, proofs and roots only: no entry contents, no subjects.
 */
export async function publishedHeads(store: Pick<Store, "audit" | "leaves">): Promise<AuditHeadReceipt[]> {
  const heads: AuditHeadReceipt[] = [];
  for (const head of await store.audit.heads()) {
    const record = await store.leaves.get(head.leaf);
    if (!record?.batch || !record.proof) continue; // written in the batch's own transaction: never apart
    const anchor = record.batch.anchor;
    heads.push({
      seq: head.seq,
      entryHash: head.leaf,
      leaf: head.leaf,
      proof: record.proof,
      root: record.batch.root,
      anchor: anchor ? { txHash: anchor.txHash, blockNumber: anchor.blockNumber, anchoredAt: anchor.anchoredAt } : null,
    });
  }
  return heads;
}
