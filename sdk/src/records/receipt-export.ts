import { completeReceipt } from "../anchor-client.js";
import { OpenChartError } from "../errors.js";
import type { Receipt } from "../receipt.js";
import { syncReceipt } from "./anchoring.js";
import type { VaultContext } from "./context.js";
import { loadRecord, openLoadedRecord } from "./records.js";

/**
 * The record's full receipt, for an auditor: the stored anchoring coordinates completed with the
 * document's SHA-256 (recomputed by decrypting the record, which also proves it against its
 * commitment) and the salt from the record's sealed header. The record's document is read once.
 */
export async function exportReceipt(context: VaultContext, recordId: string): Promise<Receipt> {
  const loaded = await loadRecord(context, recordId, "export its receipt");
  const state = await syncReceipt(context, loaded.record);
  if (state.status !== "anchored") {
    throw new OpenChartError("NOT_FOUND", `record ${recordId} is not anchored yet (${state.status}); try again after the next batch`);
  }
  const { content, salt } = await openLoadedRecord(context, loaded);
  for await (const _chunk of content) {
    // Reading to the end is what checks the plaintext against the commitment.
  }
  const { sha256 } = await content.result;
  return completeReceipt(state.anchored, sha256, salt);
}
