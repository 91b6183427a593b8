import type Database from "better-sqlite3";
import type { AppointmentDbRow, AppointmentSql, SlotDbRow } from "./appointment-sql.js";

/** The appointment tables' SQL on SQLite (see `appointmentTables`); part of the SQLite engine. */
export function sqliteAppointmentSql(db: Database.Database): AppointmentSql {
  const q = {
    insertSlot: db.prepare("INSERT INTO appointment_slots (id, doctor, starts_at, ends_at, created_at) VALUES (@id, @doctor, @starts_at, @ends_at, @created_at)"),
    slot: db.prepare<[string], SlotDbRow>("SELECT * FROM appointment_slots WHERE id = ?"),
    overlapping: db.prepare<[string, number, number], SlotDbRow>("SELECT * FROM appointment_slots WHERE doctor = ? AND starts_at < ? AND ends_at > ? LIMIT 1"),
    slotsOf: db.prepare<[string, number, number], SlotDbRow & { booked: number }>(
      `SELECT s.*, EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = s.id AND a.state = 'booked') AS booked
       FROM appointment_slots s WHERE s.doctor = ? AND s.starts_at > ? ORDER BY s.starts_at LIMIT ?`,
    ),
    openSlotsOf: db.prepare<[string, number, number], SlotDbRow>(
      `SELECT s.* FROM appointment_slots s WHERE s.doctor = ? AND s.starts_at > ?
         AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = s.id AND a.state = 'booked')
       ORDER BY s.starts_at LIMIT ?`,
    ),
    insertBooking: db.prepare(
      `INSERT INTO appointments (id, slot_id, doctor, patient, starts_at, ends_at, state, reason, created_at, closed_at, closed_by, moved_to, reminded_at)
       VALUES (@id, @slot_id, @doctor, @patient, @starts_at, @ends_at, @state, @reason, @created_at, @closed_at, @closed_by, @moved_to, @reminded_at)
       ON CONFLICT DO NOTHING`,
    ),
    get: db.prepare<[string], AppointmentDbRow>("SELECT * FROM appointments WHERE id = ?"),
    close: db.prepare("UPDATE appointments SET state = @state, closed_by = @closedBy, closed_at = @closedAt, moved_to = @movedTo WHERE id = @id AND state = 'booked'"),
    of: db.prepare<[string, number, string, number, number], AppointmentDbRow>(
      `SELECT * FROM (
         SELECT * FROM appointments WHERE patient = ? AND ends_at > ?
         UNION SELECT * FROM appointments WHERE doctor = ? AND ends_at > ?
       ) ORDER BY starts_at, created_at LIMIT ?`,
    ),
    claimReminders: db.prepare<[number, number, number], AppointmentDbRow>(
      "UPDATE appointments SET reminded_at = ? WHERE state = 'booked' AND reminded_at IS NULL AND starts_at > ? AND starts_at <= ? RETURNING *",
    ),
  };
  return {
    async insertSlot(row) {
      q.insertSlot.run(row);
    },
    slot: async (id) => q.slot.get(id),
    overlapping: async (doctor, startsAt, endsAt) => q.overlapping.get(doctor, endsAt, startsAt),
    slotsOf: async (doctor, after, limit) => q.slotsOf.all(doctor, after, limit),
    openSlotsOf: async (doctor, after, limit) => q.openSlotsOf.all(doctor, after, limit),
    insertBooking: async (row) => q.insertBooking.run(row).changes === 1,
    get: async (id) => q.get.get(id),
    close: async (id, state, closedBy, closedAt, movedTo) => q.close.run({ id, state, closedBy, closedAt, movedTo }).changes === 1,
    of: async (did, after, limit) => q.of.all(did, after, did, after, limit),
    claimReminders: async (now, until) => q.claimReminders.all(now, now, until),
  };
}
