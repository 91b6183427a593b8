import { completeReceipt, fetchReceipt, submitLeaves } from "../anchor-client.js";
import type { AnchoredLeaf, AnchoringState } from "../api/anchoring.js";
import { OpenChartError } from "../errors.js";
import type { Receipt } from "../receipt.js";
import { getRecord, signedInAccount, type RecordSummary, type VaultContext } from "./context.js";
import { openRecord } from "./records.js";

export type { AnchoringState };

/**
 * Queues a record's commitment at the API's anchoring service. The record id is the idempotency key,
 * so a retry after a lost answer can never queue it twice. A failure is reported, not thrown: the
 * record is already stored, and `anchorRecord` can try again later.
 */
export async function submitCommitment(context: VaultContext, record: RecordSummary): Promise<AnchoringState> {
  if (!context.anchorServiceUrl) return { status: "failed", reason: "no anchoring service is configured" };
  try {
    await submitLeaves(context.anchorServiceUrl, [record.commitment], `record:${record.id}`);
    return { status: "queued" };
  } catch (error) {
    return { status: "failed", reason: (error as Error).message };
  }
}

/**
 * Asks the anchoring service for the record's receipt and, once anchored, stores it in the
 * MedicalRecord. What is stored is public-safe: the commitment's proof and the chain's coordinates.
 * The document hash and salt that complete a receipt never leave the patient (see `exportReceipt`).
 */
export async function refreshReceipt(context: VaultContext, recordId: string): Promise<AnchoringState> {
  const record = await ownRecord(context, recordId, "refreshReceipt");
  if (record.receipt) return { status: "anchored", anchored: JSON.parse(record.receipt) as AnchoredLeaf };
  const url = requireService(context);
  const state = await fetchReceipt(url, record.commitment).catch((error: unknown) => {
    // The service does not know the leaf: the first submission was lost; queue it now.
    if (error instanceof OpenChartError && error.code === "NOT_FOUND") return undefined;
    throw error;
  });
  if (!state) return submitCommitment(context, record);
  if (state.status === "pending") return { status: "pending" };
  const { status: _status, ...anchored } = state;
  await context.store.update("MedicalRecord", recordId, { receipt: JSON.stringify(anchored) });
  return { status: "anchored", anchored };
}

/**
 * The record's full receipt, for an auditor: the stored anchoring coordinates completed with the
 * document's SHA-256 (recomputed by decrypting the record, which also proves it against its
 * commitment) and the salt from the patient's key envelope.
 */
export async function exportReceipt(context: VaultContext, recordId: string): Promise<Receipt> {
  const state = await refreshReceipt(context, recordId);
  if (state.status !== "anchored") {
    throw new OpenChartError("NOT_FOUND", `record ${recordId} is not anchored yet (${state.status}); try again after the next batch`);
  }
  const { content, salt } = await openRecord(context, recordId);
  for await (const _chunk of content) {
    // Reading to the end is what checks the plaintext against the commitment.
  }
  const { sha256 } = await content.result;
  if (!salt) throw new OpenChartError("UNSUPPORTED_FORMAT", `record ${recordId} keeps no commitment salt`);
  return completeReceipt(state.anchored, sha256, salt);
}

async function ownRecord(context: VaultContext, recordId: string, what: string): Promise<RecordSummary> {
  const me = signedInAccount(context, what);
  const record = await getRecord(context, recordId);
  if (record.owner !== me) throw new OpenChartError("NOT_AUTHORIZED", `only the patient who owns record ${recordId} can ${what}`);
  return record;
}

function requireService(context: VaultContext): string {
  if (!context.anchorServiceUrl) {
    throw new OpenChartError("INVALID_INPUT", "no anchoring service is configured: pass anchorServiceUrl (the OpenChart API) to the vault");
  }
  return context.anchorServiceUrl;
}

