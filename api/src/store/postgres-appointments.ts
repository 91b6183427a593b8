import type pg from "pg";
import type { AppointmentDbRow, AppointmentSql, SlotDbRow } from "./appointment-sql.js";

const BOOKING_COLUMNS = "id, slot_id, doctor, patient, starts_at, ends_at, state, reason, created_at, closed_at, closed_by, moved_to, reminded_at";

/** The appointment tables' SQL on PostgreSQL (see `appointmentTables`); part of the PostgreSQL engine. */
export function postgresAppointmentSql(db: pg.Pool | pg.PoolClient): AppointmentSql {
  const slots = async (text: string, values: unknown[]) => (await db.query<SlotDbRow>(text, values)).rows;
  const bookings = async (text: string, values: unknown[]) => (await db.query<AppointmentDbRow>(text, values)).rows;
  const changes = async (text: string, values: unknown[]) => (await db.query(text, values)).rowCount ?? 0;
  return {
    async insertSlot(r) {
      await db.query("INSERT INTO appointment_slots (id, doctor, starts_at, ends_at, created_at) VALUES ($1, $2, $3, $4, $5)", [r.id, r.doctor, r.starts_at, r.ends_at, r.created_at]);
    },
    slot: async (id) => (await slots("SELECT * FROM appointment_slots WHERE id = $1", [id]))[0],
    overlapping: async (doctor, startsAt, endsAt) =>
      (await slots("SELECT * FROM appointment_slots WHERE doctor = $1 AND starts_at < $2 AND ends_at > $3 LIMIT 1", [doctor, endsAt, startsAt]))[0],
    slotsOf: async (doctor, after, limit) =>
      (await db.query<SlotDbRow & { booked: number }>(
        `SELECT s.*, (EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = s.id AND a.state = 'booked'))::int AS booked
         FROM appointment_slots s WHERE s.doctor = $1 AND s.starts_at > $2 ORDER BY s.starts_at LIMIT $3`,
        [doctor, after, limit],
      )).rows,
    openSlotsOf: (doctor, after, limit) =>
      slots(
        `SELECT s.* FROM appointment_slots s WHERE s.doctor = $1 AND s.starts_at > $2
           AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = s.id AND a.state = 'booked')
         ORDER BY s.starts_at LIMIT $3`,
        [doctor, after, limit],
      ),
    // A concurrent insert for the same slot waits for the first to commit, then finds the conflict: exactly one lands.
    insertBooking: async (r) =>
      (await changes(`INSERT INTO appointments (${BOOKING_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING`, [
        r.id, r.slot_id, r.doctor, r.patient, r.starts_at, r.ends_at, r.state, r.reason, r.created_at, r.closed_at, r.closed_by, r.moved_to, r.reminded_at,
      ])) === 1,
    get: async (id) => (await bookings("SELECT * FROM appointments WHERE id = $1", [id]))[0],
    close: async (id, state, closedBy, closedAt, movedTo) =>
      (await changes("UPDATE appointments SET state = $2, closed_by = $3, closed_at = $4, moved_to = $5 WHERE id = $1 AND state = 'booked'", [id, state, closedBy, closedAt, movedTo])) === 1,
    of: (did, after, limit) =>
      bookings(
        `SELECT * FROM (
           SELECT * FROM appointments WHERE patient = $1 AND ends_at > $2
           UNION SELECT * FROM appointments WHERE doctor = $1 AND ends_at > $2
         ) AS mine ORDER BY starts_at, created_at LIMIT $3`,
        [did, after, limit],
      ),
    claimReminders: (now, until) =>
      bookings("UPDATE appointments SET reminded_at = $1 WHERE state = 'booked' AND reminded_at IS NULL AND starts_at > $1 AND starts_at <= $2 RETURNING *", [now, until]),
  };
}
