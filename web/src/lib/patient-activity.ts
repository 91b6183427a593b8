// What the patient's Activity page and its badge say: the access log, and notifications the patient's own
// app works out (no server knows whom a patient shares with): a share ending within 3 days, a doctor whose
// license no longer verifies (suspended or revoked), a new note or prescription, a doctor asking for access, a
// record opened. "New"
// means newer than what this browser last showed the account (a time in localStorage, nothing else).
import type { AccessEvent, AccessRequest, ClinicalNoteSummary, GrantSummary } from "@openchart/sdk/vault";
import { formatTime } from "./format";
import { EXPIRING_WITHIN_MS, endingSoon, isRunning, personLabel } from "./share-groups";

const SEEN_KEY = "openchart.activity.seen.v1";

export interface ActivityAlert {
  /** Stable per event, for lists. */
  key: string;
  /** Milliseconds since the epoch: when it happened (or, for a state, when it was seen). */
  at: number;
  text: string;
  /** Where to act. */
  href?: string;
  /** A state that holds now (an ending share, a license refused) counts as new until it is marked read. */
  fresh: boolean;
}

export interface ActivityInput {
  grants: readonly GrantSummary[];
  /** Grantees whose license check was refused now, with the reason. */
  refusedLicenses: ReadonlyMap<string, string>;
  notes: readonly ClinicalNoteSummary[];
  /** Doctors' requests for access sealed to the patient (answered ones included). */
  requests: readonly AccessRequest[];
  opened: readonly AccessEvent[];
  titleOf: (recordId: string) => string;
}

/** The alerts, newest first; `seen` is the time the account last marked them read. */
export function activityAlerts(input: ActivityInput, seen: number, now = Date.now()): ActivityAlert[] {
  const alerts: ActivityAlert[] = [];
  for (const grant of endingSoon(input.grants, now)) {
    alerts.push({
      key: `ending:${grant.id}:${grant.expiresAt}`,
      at: now,
      text: `Your share of ${grant.recordIds.length} record${grant.recordIds.length === 1 ? "" : "s"} with ${personLabel(grant.grantee)} ends ${formatTime(grant.expiresAt)}. Extend it on Sharing if they still need it.`,
      href: "#/patient/sharing",
      fresh: seen < Date.parse(grant.expiresAt) - EXPIRING_WITHIN_MS || seen === 0,
    });
  }
  const running = new Set(input.grants.filter((g) => isRunning(g, now)).map((g) => g.grantee.toLowerCase()));
  for (const [grantee, reason] of input.refusedLicenses) {
    if (!running.has(grantee.toLowerCase())) continue;
    alerts.push({
      key: `license:${grantee}:${reason}`,
      at: now,
      text: `The medical license of ${personLabel(grantee)}, with whom you share records, no longer verifies (${reason}). Their app does not open your records while it is suspended; you may revoke their access on Sharing.`,
      href: "#/patient/sharing",
      fresh: true,
    });
  }
  for (const note of input.notes) {
    const at = Date.parse(note.createdAt);
    alerts.push({ key: `note:${note.id}`, at, text: `${personLabel(note.author)} wrote you a new ${note.kind === "prescription" ? "prescription" : "note"}.`, href: "#/patient/notes", fresh: at > seen });
  }
  for (const request of input.requests) {
    if (request.answer) continue;
    const at = Date.parse(request.createdAt);
    alerts.push({
      key: `request:${request.id}`,
      at,
      text: `${personLabel(request.doctor)} asks for access to your records for ${request.days} day${request.days === 1 ? "" : "s"}: “${request.reason}”. Approve or decline it on Requests.`,
      href: "#/patient/requests",
      fresh: at > seen,
    });
  }
  for (const event of input.opened) {
    alerts.push({ key: `opened:${event.seq}`, at: event.at, text: `${personLabel(event.by)} opened “${event.title || input.titleOf(event.recordId)}”.`, fresh: event.at > seen });
  }
  return alerts.sort((a, b) => b.at - a.at);
}

export function lastSeen(storage: Storage, account: string): number {
  try {
    const value = (JSON.parse(storage.getItem(SEEN_KEY) ?? "{}") as Record<string, unknown>)[account.toLowerCase()];
    return typeof value === "number" ? value : 0;
  } catch {
    return 0;
  }
}

export function markSeen(storage: Storage, account: string, at = Date.now()): void {
  let seen: Record<string, unknown>;
  try {
    seen = JSON.parse(storage.getItem(SEEN_KEY) ?? "{}") as Record<string, unknown>;
  } catch {
    seen = {};
  }
  seen[account.toLowerCase()] = at;
  storage.setItem(SEEN_KEY, JSON.stringify(seen));
}
