// The appointments store interface (implemented in appointments.ts), apart so that store.ts names it
// without importing an implementation.
import type { Appointment, Slot, SlotTimes } from "@openchart/sdk";

/** What became of a booking (or a move to another slot): booked, or why not. */
export type BookOutcome =
  | { kind: "booked"; appointment: Appointment }
  /** Another booking holds the slot (the unique index refused this one). */
  | { kind: "taken" }
  | { kind: "slot-unknown" }
  /** The slot belongs to another doctor than the one named (or, for a move, than the appointment's). */
  | { kind: "not-doctors" }
  /** The slot has started. */
  | { kind: "past" }
  /** A doctor booking their own slot. */
  | { kind: "own-slot" }
  /** A move to the slot the appointment already has. */
  | { kind: "same-slot" }
  /** No such appointment of this caller (a move). */
  | { kind: "appointment-unknown" }
  /** The appointment was already cancelled or moved. */
  | { kind: "closed" };

export type CancelOutcome = { kind: "cancelled"; appointment: Appointment } | { kind: "appointment-unknown" } | { kind: "closed" };

export interface AppointmentStore {
  /** Stores the doctor's slots, or none when one overlaps another of them or one the doctor already has (that one is named). */
  publish(doctor: string, slots: readonly SlotTimes[], now: number): Promise<{ ok: true; slots: Slot[] } | { ok: false; overlaps: SlotTimes }>;
  /** The doctor's own slots starting after `now`, soonest first, with whether each is booked. */
  slotsOf(doctor: string, now: number, limit: number): Promise<Slot[]>;
  /** The doctor's slots starting after `now` that no one holds. */
  openSlotsOf(doctor: string, now: number, limit: number): Promise<Slot[]>;
  /** Books the slot for `patient`, notifying the doctor, atomically. */
  book(input: { patient: string; doctor: string; slotId: string; reason: string | null; now: number }): Promise<BookOutcome>;
  /** Moves the patient's appointment to another slot of its doctor: the old one is closed as moved and the new one booked, or neither. */
  reschedule(input: { id: string; patient: string; slotId: string; now: number }): Promise<BookOutcome>;
  /** Cancels an appointment `caller` is a party to, notifying the other party. */
  cancel(id: string, caller: string, now: number): Promise<CancelOutcome>;
  /** The DID's appointments (either side) that have not ended, soonest first. */
  of(did: string, now: number, limit: number): Promise<Appointment[]>;
  /** Notifies both parties of each booked appointment starting within `leadMs`, once; returns how many. */
  remind(now: number, leadMs: number): Promise<number>;
}
