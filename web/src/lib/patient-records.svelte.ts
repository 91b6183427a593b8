// The signed-in patient's records (headers opened), kept for the tab: the records, sharing and record
// pages read the same list, and each reloads it after what changes it (upload, new key).
import type { RecordSummary } from "@openchart/sdk/vault";
import { untrack } from "svelte";
import { describeError } from "./problems";
import { unreadableWords } from "./unreadable";
import type { SignedInUser } from "./session";

export const patientRecords = $state<{ account: string; list: RecordSummary[]; loaded: boolean; error: string }>({
  account: "",
  list: [],
  loaded: false,
  error: "",
});

/** Called from pages' effects: it reads and writes the list without making the caller's effect depend on it. */
export function reloadRecords(user: SignedInUser): Promise<void> {
  return untrack(() => reload(user));
}

async function reload(user: SignedInUser): Promise<void> {
  if (patientRecords.account !== user.account) {
    Object.assign(patientRecords, { account: user.account, list: [], loaded: false, error: "" });
  }
  try {
    let unreadable = 0;
    const list = await user.vault.listRecords(() => unreadable++);
    if (patientRecords.account !== user.account) return; // signed out or switched meanwhile
    patientRecords.list = list;
    patientRecords.error = unreadableWords(unreadable, "records");
  } catch (e) {
    patientRecords.error = `Your records could not be listed: ${describeError(e)}`;
  } finally {
    patientRecords.loaded = true;
  }
}
