// Who is signed in, kept for the whole tab: every page reads it, so moving between pages (records,
// sharing, notes...) neither resumes the session again nor asks the wallet anything. A reload or a new
// tab starts empty and resumes the kept session (kept-session.ts) once.
import type { ApiUser, SignedInUser } from "./session";
import type { Connection } from "./wallet";

export const account = $state<{
  /** The wallet connected in this tab (none after a reload until the user connects it again). */
  connection: Connection | null;
  /** Patient or doctor: signed in with the record vault open. */
  vault: SignedInUser | null;
  /** Issuer: signed in to the API only. */
  api: ApiUser | null;
}>({ connection: null, vault: null, api: null });

/** After "Sign out": nobody is signed in, whatever the page. */
export function forgetAccount(): void {
  account.vault = null;
  account.api = null;
}
