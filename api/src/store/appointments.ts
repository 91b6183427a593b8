import { randomBytes } from "node:crypto";
import type { Appointment, NotificationDraft, PartyRole, Slot } from "@openchart/sdk";
import type { AppointmentDbRow, SlotDbRow } from "./appointment-sql.js";
import type { Engine, Sql } from "./engine.js";
import { insertNotification } from "./notifications.js";
import type { AppointmentStore, BookOutcome, CancelOutcome } from "./store.js";

const newId = () => randomBytes(16).toString("hex");

/** Thrown inside a transaction to roll it back with an outcome (a reschedule whose new slot was taken). */
class Refusal extends Error {
  constructor(readonly outcome: BookOutcome) {
    super(outcome.kind);
  }
}

/**
 * Booking rules over the appointment tables. A booking is one insert that the tables' unique index admits
 * or not: no read decides whether a slot is free. The transactions are not serial (PostgreSQL: no global
 * lock), so bookings of different slots run side by side and those of one slot are settled by the index.
 * Publishing slots is serial: the overlap check reads the doctor's slots before it writes.
 */
export function appointmentStore(engine: Engine): AppointmentStore {
  const openSlot = async (sql: Sql, input: { doctor: string; slotId: string; patient: string; now: number }): Promise<SlotDbRow | BookOutcome> => {
    const slot = await sql.appointments.slot(input.slotId);
    if (!slot) return { kind: "slot-unknown" };
    if (slot.doctor !== input.doctor) return { kind: "not-doctors" };
    if (slot.starts_at <= input.now) return { kind: "past" };
    if (slot.doctor === input.patient) return { kind: "own-slot" };
    return slot;
  };
  const bookingOf = (slot: SlotDbRow, patient: string, reason: string | null, now: number): AppointmentDbRow => ({
    id: newId(),
    slot_id: slot.id,
    doctor: slot.doctor,
    patient,
    starts_at: slot.starts_at,
    ends_at: slot.ends_at,
    state: "booked",
    reason,
    created_at: now,
    closed_at: null,
    closed_by: null,
    moved_to: null,
    reminded_at: null,
  });
  const notify = (sql: Sql, did: string, draft: NotificationDraft, now: number) => insertNotification(sql, did, draft, now);

  return {
    publish: (doctor, slots, now) =>
      engine.transaction(async (sql) => {
        const sorted = [...slots].sort((a, b) => a.startsAt - b.startsAt);
        for (const [i, slot] of sorted.entries()) {
          const next = sorted[i + 1];
          if (next && next.startsAt < slot.endsAt) return { ok: false as const, overlaps: next };
          if (await sql.appointments.overlapping(doctor, slot.startsAt, slot.endsAt)) return { ok: false as const, overlaps: slot };
        }
        const rows = sorted.map((s): SlotDbRow => ({ id: newId(), doctor, starts_at: s.startsAt, ends_at: s.endsAt, created_at: now }));
        for (const row of rows) await sql.appointments.insertSlot(row);
        return { ok: true as const, slots: rows.map((row) => toSlot(row)) };
      }),
    slotsOf: (doctor, now, limit) => engine.autocommit(async (sql) => (await sql.appointments.slotsOf(doctor, now, limit)).map((row) => toSlot(row, row.booked === 1))),
    openSlotsOf: (doctor, now, limit) => engine.autocommit(async (sql) => (await sql.appointments.openSlotsOf(doctor, now, limit)).map((row) => toSlot(row))),
    book: ({ patient, doctor, slotId, reason, now }) =>
      engine.transaction(async (sql): Promise<BookOutcome> => {
        const slot = await openSlot(sql, { doctor, slotId, patient, now });
        if ("kind" in slot) return slot;
        const row = bookingOf(slot, patient, reason, now);
        if (!(await sql.appointments.insertBooking(row))) return { kind: "taken" };
        await notify(sql, doctor, { kind: "appointment.booked", appointmentId: row.id, patient, startsAt: row.starts_at }, now);
        return { kind: "booked", appointment: toAppointment(row) };
      }, { serial: false }),
    reschedule: ({ id, patient, slotId, now }) =>
      engine
        .transaction(async (sql): Promise<BookOutcome> => {
          const old = await sql.appointments.get(id);
          if (!old || old.patient !== patient) return { kind: "appointment-unknown" };
          if (old.state !== "booked") return { kind: "closed" };
          if (old.slot_id === slotId) return { kind: "same-slot" };
          const slot = await openSlot(sql, { doctor: old.doctor, slotId, patient, now });
          if ("kind" in slot) return slot;
          const row = bookingOf(slot, patient, old.reason, now);
          // Closed first, under the row's lock: two moves of one appointment cannot both proceed.
          if (!(await sql.appointments.close(id, "moved", "patient", now, row.id))) return { kind: "closed" };
          if (!(await sql.appointments.insertBooking(row))) throw new Refusal({ kind: "taken" });
          await notify(sql, old.doctor, { kind: "appointment.moved", appointmentId: id, movedTo: row.id, patient, startsAt: row.starts_at }, now);
          return { kind: "booked", appointment: toAppointment(row) };
        }, { serial: false })
        .catch((error: unknown) => {
          if (error instanceof Refusal) return error.outcome;
          throw error;
        }),
    cancel: (id, caller, now) =>
      engine.transaction(async (sql): Promise<CancelOutcome> => {
        const row = await sql.appointments.get(id);
        const role: PartyRole | undefined = row?.patient === caller ? "patient" : row?.doctor === caller ? "doctor" : undefined;
        if (!row || !role) return { kind: "appointment-unknown" };
        if (!(await sql.appointments.close(id, "cancelled", role, now, null))) return { kind: "closed" };
        const other = role === "patient" ? row.doctor : row.patient;
        await notify(sql, other, { kind: "appointment.cancelled", appointmentId: id, by: role, startsAt: row.starts_at, ...(role === "patient" ? { patient: row.patient } : { doctor: row.doctor }) }, now);
        return { kind: "cancelled", appointment: toAppointment((await sql.appointments.get(id))!) };
      }, { serial: false }),
    of: (did, now, limit) => engine.autocommit(async (sql) => (await sql.appointments.of(did, now, limit)).map(toAppointment)),
    remind: (now, leadMs) =>
      engine.transaction(async (sql) => {
        const due = await sql.appointments.claimReminders(now, now + leadMs);
        for (const row of due) {
          await notify(sql, row.patient, { kind: "appointment.reminder", appointmentId: row.id, doctor: row.doctor, startsAt: row.starts_at }, now);
          await notify(sql, row.doctor, { kind: "appointment.reminder", appointmentId: row.id, patient: row.patient, startsAt: row.starts_at }, now);
        }
        return due.length;
      }, { serial: false }),
  };
}

function toSlot(row: SlotDbRow, booked?: boolean): Slot {
  return { id: row.id, doctor: row.doctor, startsAt: row.starts_at, endsAt: row.ends_at, ...(booked === undefined ? {} : { booked }) };
}

function toAppointment(row: AppointmentDbRow): Appointment {
  return {
    id: row.id,
    slotId: row.slot_id,
    doctor: row.doctor,
    patient: row.patient,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    state: row.state,
    ...(row.reason === null ? {} : { reason: row.reason }),
    createdAt: row.created_at,
    ...(row.closed_at === null ? {} : { closedAt: row.closed_at }),
    ...(row.closed_by === null ? {} : { closedBy: row.closed_by }),
    ...(row.moved_to === null ? {} : { movedTo: row.moved_to }),
  };
}

