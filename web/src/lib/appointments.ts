// Appointments in the app: the API calls (api/src/appointments) and the small rules the views share, kept
// pure so they are unit-tested. The visit reason is sealed on the device (the vault's sealVisitReason)
// before it reaches these calls.
import {
  SLOT_MAX_MINUTES,
  SLOT_MIN_MINUTES,
  MAX_SLOTS_PER_REQUEST,
  type Appointment,
  type AppointmentList,
  type Slot,
  type SlotList,
  type SlotTimes,
} from "@openchart/sdk";
import type { ApiClient } from "./api";

type SignedApi = Pick<ApiClient, "signed">;
const MINUTE_MS = 60_000;

export const publishSlots = async (api: SignedApi, slots: SlotTimes[]): Promise<Slot[]> => (await api.signed<SlotList>("POST", "/appointments/slots", { slots })).slots;
export const mySlots = async (api: SignedApi): Promise<Slot[]> => (await api.signed<SlotList>("GET", "/appointments/slots")).slots;
/** The doctor's DID goes in the body: a URL with a DID would land in logs. */
export const openSlots = async (api: SignedApi, doctor: string): Promise<Slot[]> => (await api.signed<SlotList>("POST", "/appointments/slots/open", { doctor })).slots;
export const myAppointments = async (api: SignedApi): Promise<Appointment[]> => (await api.signed<AppointmentList>("GET", "/appointments")).appointments;
export const cancelAppointment = (api: SignedApi, id: string): Promise<Appointment> => api.signed<Appointment>("POST", `/appointments/${id}/cancel`);

/**
 * Books with the caller's Idempotency-Key: the view keeps one key per booking it means to make, so pressing
 * Book again after a lost answer finds the booking instead of a 409.
 */
export const bookSlot = (api: SignedApi, body: { doctor: string; slotId: string; reason?: string }, idempotencyKey: string): Promise<Appointment> =>
  api.signed<Appointment>("POST", "/appointments", body, { idempotencyKey });
export const moveAppointment = (api: SignedApi, id: string, slotId: string, idempotencyKey: string): Promise<Appointment> =>
  api.signed<Appointment>("POST", `/appointments/${id}/reschedule`, { slotId }, { idempotencyKey });

export interface SlotPlan {
  /** The first slot's start as an `<input type="datetime-local">` value, read as UTC (the app shows UTC times). */
  start: string;
  minutes: number;
  /** Slots back to back. */
  count: number;
}

/** The slots a plan stands for, or why it cannot be published (said next to the field). */
export function slotsOfPlan(plan: SlotPlan, now = Date.now()): SlotTimes[] | string {
  const first = Date.parse(`${plan.start}Z`);
  if (!plan.start || !Number.isFinite(first)) return "Choose the first slot's date and time.";
  if (first <= now) return "The first slot must start in the future.";
  if (!Number.isInteger(plan.minutes) || plan.minutes < SLOT_MIN_MINUTES || plan.minutes > SLOT_MAX_MINUTES) {
    return `A slot lasts ${SLOT_MIN_MINUTES} to ${SLOT_MAX_MINUTES} minutes.`;
  }
  if (!Number.isInteger(plan.count) || plan.count < 1 || plan.count > MAX_SLOTS_PER_REQUEST) return `Publish 1 to ${MAX_SLOTS_PER_REQUEST} slots at a time.`;
  return Array.from({ length: plan.count }, (_, i) => ({ startsAt: first + i * plan.minutes * MINUTE_MS, endsAt: first + (i + 1) * plan.minutes * MINUTE_MS }));
}

/** "now", "in 25 minutes", "in 3 hours", "in 2 days": how soon an appointment starts. */
export function startsIn(startsAt: number, now = Date.now()): string {
  const minutes = Math.round((startsAt - now) / MINUTE_MS);
  if (minutes <= 0) return "now";
  if (minutes < 90) return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `in ${hours} hours`;
  return `in ${Math.round(hours / 24)} days`;
}

/** Whether a booked appointment is close enough for its reminder to show on the page (the API's lead, an hour by default). */
export const isSoon = (appointment: Pick<Appointment, "state" | "startsAt" | "endsAt">, now = Date.now(), leadMs = 60 * MINUTE_MS): boolean =>
  appointment.state === "booked" && appointment.startsAt - now <= leadMs && appointment.endsAt > now;

/** What became of an appointment, in words. */
export function stateWords(appointment: Pick<Appointment, "state" | "closedBy">, me: "patient" | "doctor"): string {
  switch (appointment.state) {
    case "booked":
      return "Booked";
    case "moved":
      return "Moved to another time";
    case "cancelled":
      return appointment.closedBy === me ? "Cancelled by you" : `Cancelled by the ${appointment.closedBy ?? "other party"}`;
  }
}
