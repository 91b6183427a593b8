// What the API tells the signed-in account (GET /notifications: guardian duty, recovery steps on either
// side, devices signed out), in words, and which of them are new on this device. The highest id seen is
// kept per account in this browser's localStorage: a number, nothing about the notifications themselves.
import type { Notification, Notifications } from "@openchart/sdk";
import type { ApiClient } from "./api";
import { formatTime } from "./format";
import { who } from "./recovery";

const SEEN_KEY = "openchart.notifications.seen.v1";

/** The newest notifications of the signed-in account, newest first. */
export async function readNotifications(api: Pick<ApiClient, "signed">, limit = 20): Promise<Notification[]> {
  return (await api.signed<Notifications>("GET", `/notifications?limit=${limit}`)).notifications;
}

/** The highest notification id this browser has shown to `account`. */
export function lastSeen(storage: Storage, account: string): number {
  try {
    const seen = JSON.parse(storage.getItem(SEEN_KEY) ?? "{}") as Record<string, unknown>;
    const value = seen[account.toLowerCase()];
    return typeof value === "number" ? value : 0;
  } catch {
    return 0;
  }
}

export function markSeen(storage: Storage, account: string, notifications: readonly Notification[]): void {
  const highest = Math.max(0, ...notifications.map((n) => n.id));
  let seen: Record<string, unknown>;
  try {
    seen = JSON.parse(storage.getItem(SEEN_KEY) ?? "{}") as Record<string, unknown>;
  } catch {
    seen = {};
  }
  seen[account.toLowerCase()] = Math.max(highest, lastSeen(storage, account));
  storage.setItem(SEEN_KEY, JSON.stringify(seen));
}

/** One notification as a sentence for `me` (the signed-in account), and where to act on it. */
export function describeNotification(n: Notification, me: string): { text: string; act?: "settings" | "guardian" | "recovery" | "appointments" } {
  const mine = (did: string | undefined) => did !== undefined && did.toLowerCase() === me.toLowerCase();
  const patient = n.patient ? who(n.patient) : "an account";
  const requester = n.requester ? who(n.requester) : "a wallet";
  switch (n.kind) {
    case "guardian.named":
      return { text: `${patient} named you one of their guardians. If they lose their wallet, you may be asked to approve its recovery.`, act: "guardian" };
    case "guardian.removed":
      return { text: `${patient} no longer names you a guardian.` };
    case "recovery.requested":
      if (mine(n.patient)) {
        return {
          text: `${requester} asked to recover your account. If this was not you, cancel it in Settings${n.readyAt ? ` before ${formatTime(n.readyAt)}` : ""}.`,
          act: "settings",
        };
      }
      if (mine(n.requester)) return { text: `You asked to recover ${patient}. Guardians can approve from ${formatTime(n.readyAt ?? n.at)}.`, act: "recovery" };
      return {
        text: `${requester} asked to recover ${patient}'s account. Check with ${patient} in person or by phone; you can approve from ${formatTime(n.readyAt ?? n.at)}.`,
        act: "guardian",
      };
    case "recovery.cancelled":
      return { text: `The recovery of ${mine(n.patient) ? "your account" : patient} was ${n.by === "requester" ? "withdrawn by the wallet that asked" : "cancelled by the account's own wallet"}.` };
    case "recovery.approved":
      return { text: `Guardian ${n.guardian ? who(n.guardian) : ""} approved the recovery of ${mine(n.patient) ? "your account" : patient}.`, act: mine(n.requester) ? "recovery" : undefined };
    case "recovery.completed":
      return {
        text: mine(n.patient)
          ? `Your account was recovered by ${requester}: its records now belong to that wallet, and this account's keys were deleted.`
          : `The recovery of ${patient} by ${requester} is complete.`,
      };
    case "devices.revoked": {
      const count = n.count ?? 0;
      return { text: `${count} device${count === 1 ? " was" : "s were"} signed out of your account (sign out everywhere, or a completed recovery).`, act: "settings" };
    }
    case "license.suspended":
      return { text: "The issuer suspended your medical license: OpenChart does not open patients' records for you until it is reinstated." };
    case "license.reinstated":
      return { text: "The issuer reinstated your medical license: present it again on the License page to open shared records." };
    case "license.revoked":
      return { text: "The issuer revoked your medical license for good." };
    case "appointment.booked":
      return { text: `${patient} booked a consult with you for ${formatTime(n.startsAt ?? n.at)}.`, act: "appointments" };
    case "appointment.cancelled":
      return { text: `${n.by === "doctor" ? `Dr. ${n.doctor ? who(n.doctor) : ""}` : patient} cancelled the consult of ${formatTime(n.startsAt ?? n.at)}.`, act: "appointments" };
    case "appointment.moved":
      return { text: `${patient} moved their consult with you to ${formatTime(n.startsAt ?? n.at)}.`, act: "appointments" };
    case "appointment.reminder":
      return {
        text: `Reminder: your consult with ${n.doctor ? `Dr. ${who(n.doctor)}` : patient} starts at ${formatTime(n.startsAt ?? n.at)}. Join it from Appointments.`,
        act: "appointments",
      };
    default:
      return { text: "Something changed in your account." };
  }
}
