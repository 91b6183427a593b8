// Where each record's ciphertext is kept (the platform's IPFS node, and the pinning service when one is
// configured): asked for the whole list at once, then every five seconds while some pin is still moving.
// One map for the tab: the timeline and a record's page show the same state.
import type { PinningState, RecordSummary } from "@openchart/sdk/vault";
import { untrack } from "svelte";
import { pinDisplayOf, type PinDisplay } from "./pinning";
import type { SignedInUser } from "./session";

const pins = $state<Record<string, PinningState>>({});

export function pinOf(record: RecordSummary): PinDisplay {
  return pinDisplayOf(pins[record.id]);
}

/** Asks the pinning service again for one record (after it failed). */
export async function pinAgain(user: SignedInUser, record: RecordSummary): Promise<void> {
  pins[record.id] = await user.vault.requestPin(record.id);
}

/** Polls the records whose pin is not settled; returns the function that stops it (an effect's cleanup). */
export function watchPins(user: SignedInUser, records: readonly RecordSummary[]): () => void {
  const ask = async () => {
    // Read untracked: the caller's effect runs again only when the list changes, not on every answer.
    const unsettled = untrack(() => records.filter((r) => !pinDisplayOf(pins[r.id]).settled));
    if (unsettled.length === 0) return;
    const states = await user.vault.pinStates(unsettled).catch(() => undefined);
    if (states) Object.assign(pins, states);
  };
  void ask();
  const timer = setInterval(ask, 5_000);
  return () => clearInterval(timer);
}
