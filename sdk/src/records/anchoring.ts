import { fetchReceipt, submitLeaves } from "../anchor-client.js";
import type { AnchoringState } from "../api/anchoring.js";
import { OpenChartError } from "../errors.js";
import type { RecordSummary, VaultContext } from "./context.js";

export type { AnchoringState };

/**
 * Queues a record's commitment at the API's anchoring service. The record id is the idempotency key,
 * so a retry after a lost answer can never queue it twice. A failure is reported, not thrown: the
 * record is already stored, and `syncReceipt` submits it again later.
 */
export async function submitCommitment(context: VaultContext, record: RecordSummary): Promise<AnchoringState> {
  if (!context.anchorServiceUrl) return { status: "failed", reason: "no anchoring service is configured" };
  if (!context.anchorSigner) return { status: "failed", reason: "anchoring needs a signed-in session (a did-session naming the API), not a bare DID" };
  try {
    await submitLeaves(context.anchorServiceUrl, [record.commitment], `record:${record.id}`, context.anchorSigner);
    return { status: "queued" };
  } catch (error) {
    return { status: "failed", reason: (error as Error).message };
  }
}

/**
 * Brings the patient's record in step with the anchoring service: once the service reports the
 * commitment anchored, writes the receipt's public part into the SealedRecord; if the service does not
 * know the commitment (its first submission was lost), submits it again. A record that already keeps a
 * readable receipt is answered without asking the service. What is stored is public-safe: the
 * commitment's proof and the chain's coordinates; the document hash and salt that complete a receipt
 * never leave the patient (see `exportReceipt`).
 */
export async function syncReceipt(context: VaultContext, record: RecordSummary): Promise<AnchoringState> {
  if (record.receipt?.status === "anchored") return record.receipt;
  const url = requireService(context);
  const state = await fetchReceipt(url, record.commitment).catch((error: unknown) => {
    if (error instanceof OpenChartError && error.code === "NOT_FOUND") return undefined;
    throw error;
  });
  if (!state) return submitCommitment(context, record);
  if (state.status === "pending") return { status: "pending" };
  // Mined but shallower than the service requires: not a receipt yet (a reorganization may still drop it).
  if (state.status === "confirming") {
    const { confirmations, confirmationsRequired, blockNumber } = state;
    return { status: "confirming", confirmations, confirmationsRequired, blockNumber };
  }
  const { status: _status, ...anchored } = state;
  await context.store.update("SealedRecord", record.id, { receipt: JSON.stringify(anchored) });
  return { status: "anchored", anchored };
}

function requireService(context: VaultContext): string {
  if (!context.anchorServiceUrl) {
    throw new OpenChartError("INVALID_INPUT", "no anchoring service is configured: pass anchorServiceUrl (the OpenChart API) to the vault");
  }
  return context.anchorServiceUrl;
}
