// The doctor directory (public search) and a doctor's own listing, as the patient's sharing page, the
// directory and profile pages, and the doctor's license page use them.
import type { DirectoryEntry, DirectoryPage } from "@openchart/sdk";
import type { ApiClient } from "./api";

export type { DirectoryEntry, DirectoryPage } from "@openchart/sdk";

export interface DirectorySearch {
  /** Words of a name or a specialty. */
  q?: string;
  /** A specialty code. */
  specialty?: string;
  /** The previous page's `next`. */
  cursor?: string;
  limit?: number;
}

/** The query string of a search: only what is set, trimmed. */
export function directoryQuery(search: DirectorySearch): string {
  const params = new URLSearchParams();
  if (search.q?.trim()) params.set("q", search.q.trim());
  if (search.specialty) params.set("specialty", search.specialty);
  if (search.cursor) params.set("cursor", search.cursor);
  if (search.limit) params.set("limit", String(search.limit));
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** One page of the listed doctors matching the search (public: no sign-in). */
export function searchDirectory(api: ApiClient, search: DirectorySearch): Promise<DirectoryPage> {
  return api.get(`/directory${directoryQuery(search)}`);
}

/** Lists the signed-in doctor in the directory, or takes them out. */
export function setListed(api: ApiClient, listed: boolean): Promise<{ listed: boolean; entry?: DirectoryEntry }> {
  return api.signed("PUT", "/directory/me", { listed });
}

/** The hash route of a doctor's public profile. */
export const profilePath = (did: string): string => `#/doctors/${encodeURIComponent(did)}`;
