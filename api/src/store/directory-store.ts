// The directory's and the sealed profiles' store interfaces (implemented in directory.ts), apart so that
// store.ts names them without importing an implementation.
import type { DirectoryEntry } from "@openchart/sdk";
import type { AuditDraft } from "../audit/log.js";

/** A doctor in the directory and, when the last status check refused their license, why they are hidden. */
export interface ListedDoctor {
  entry: DirectoryEntry;
  /** The refusal's reason (CREDENTIAL_SUSPENDED, ...): hidden from searches until a check passes again. */
  hidden: string | null;
}

export interface DirectoryPageRows {
  doctors: ListedDoctor[];
  /** The (sort key, DID hash) after which the next page starts; absent on the last page. Names no DID: cursors travel in query strings. */
  next?: [string, string];
}

/** Doctors who opted in to the public directory (public professional data: nothing about patients). */
export interface DirectoryStore {
  /** Lists (or re-lists, with fresh details) the doctor, with the audit entry, atomically. */
  list(entry: DirectoryEntry, audit: AuditDraft, now: number): Promise<void>;
  /** Takes the doctor out; false when they were not listed. */
  unlist(did: string, audit: AuditDraft, now: number): Promise<boolean>;
  get(did: string): Promise<ListedDoctor | null>;
  /** Visible doctors whose name or specialty hold every word of `q`, by name. */
  search(query: { q?: string; specialty?: string; after?: readonly [string, string]; limit: number }): Promise<DirectoryPageRows>;
  /** The listed doctors checked least recently, at most `limit`. */
  due(limit: number): Promise<{ did: string; checkedAt: number }[]>;
  /** Records a status check: null shows the doctor again, a reason hides them. */
  setHidden(did: string, reason: string | null, now: number): Promise<void>;
}

/** Each patient's profile, sealed on their device: the API keeps a ciphertext it cannot open. */
export interface ProfileStore {
  put(did: string, sealed: string, audit: AuditDraft, now: number): Promise<void>;
  get(did: string): Promise<{ sealed: string; updatedAt: number } | null>;
}
