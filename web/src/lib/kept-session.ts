// The signed-in session kept across reloads, view switches and tabs: the serialized did-session in
// localStorage (shared by the site's tabs, kept across reloads), until it expires or the user signs out.
// The did-session's key is what signs Ceramic writes and API requests for its lifetime, so keeping it
// here is what spares the wallet prompt; it holds no record key (the master stays in IndexedDB, wrapped
// to a non-extractable device key), and it expires (WebConfig.sessionHours).

export const KEPT_SESSION_KEY = "openchart.session.v1";
/** A session this close to its end is not resumed: it would expire in the middle of what the user does. */
export const RESUME_MARGIN_SECONDS = 60;

export interface KeptSession {
  /** Lower-case 0x address of the wallet. */
  address: string;
  /** `did:pkh:eip155:<chainId>:<address>`. */
  account: string;
  /** `DIDSession.serialize()`. */
  serialized: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

function isKept(value: unknown): value is KeptSession {
  const o = value as Partial<KeptSession> | null;
  return (
    typeof o === "object" && o !== null && typeof o.address === "string" && typeof o.account === "string" &&
    typeof o.serialized === "string" && typeof o.expiresAt === "number"
  );
}

/** The kept session, if there is one that lasts at least another minute (an expired one is removed). */
export function readKeptSession(storage: Storage, now = Date.now()): KeptSession | null {
  let kept: unknown;
  try {
    kept = JSON.parse(storage.getItem(KEPT_SESSION_KEY) ?? "null");
  } catch {
    kept = null;
  }
  if (!isKept(kept) || kept.expiresAt - now < RESUME_MARGIN_SECONDS * 1000) {
    storage.removeItem(KEPT_SESSION_KEY);
    return null;
  }
  return kept;
}

export function keepSession(storage: Storage, kept: KeptSession): void {
  storage.setItem(KEPT_SESSION_KEY, JSON.stringify(kept));
}

export function forgetSession(storage: Storage): void {
  storage.removeItem(KEPT_SESSION_KEY);
}
