// Records whose fingerprint is not yet on the chain are asked about every two seconds until the batch that
// holds them is mined. One map for the tab: the timeline and a record's page show the same state.
import type { RecordSummary } from "@openchart/sdk/vault";
import { anchorDisplayFromState, anchorDisplayOf, type AnchorDisplay } from "./anchoring";
import type { SignedInUser } from "./session";

const learned = $state<Record<string, AnchorDisplay>>({});

/** What is known of a record's anchoring: the latest answer of the service, else what the record keeps. */
export function anchorOf(record: RecordSummary): AnchorDisplay {
  return learned[record.id] ?? anchorDisplayOf(record.receipt);
}

/** Polls the records not yet anchored; returns the function that stops it (an effect's cleanup). */
export function watchAnchors(user: SignedInUser, records: readonly RecordSummary[]): () => void {
  const pending = records.filter((r) => anchorOf(r).kind !== "anchored").map((r) => r.id);
  if (pending.length === 0) return () => {};
  const timer = setInterval(async () => {
    for (const id of pending) {
      const state = await user.vault.syncReceipt(id).catch(() => undefined);
      if (state) learned[id] = anchorDisplayFromState(state);
    }
  }, 2_000);
  return () => clearInterval(timer);
}
