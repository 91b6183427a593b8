// The appointment tables' SQL (see `appointmentTables`), part of an engine's `Sql` (engine.ts), written once
// for both engines with PostgreSQL's `$n` placeholders (the SQLite runner rewrites them: directory-sql.ts).
import type { Runner } from "./directory-sql.js";

export interface SlotDbRow {
  id: string;
  doctor: string;
  starts_at: number;
  ends_at: number;
  created_at: number;
}

export interface AppointmentDbRow {
  id: string;
  slot_id: string;
  doctor: string;
  patient: string;
  starts_at: number;
  ends_at: number;
  state: "booked" | "cancelled" | "moved";
  reason: string | null;
  created_at: number;
  closed_at: number | null;
  closed_by: "patient" | "doctor" | null;
  moved_to: string | null;
  reminded_at: number | null;
}

export interface AppointmentSql {
  insertSlot(row: SlotDbRow): Promise<void>;
  slot(id: string): Promise<SlotDbRow | undefined>;
  /** One of `doctor`'s slots that overlaps [startsAt, endsAt), if any. */
  overlapping(doctor: string, startsAt: number, endsAt: number): Promise<SlotDbRow | undefined>;
  /** `doctor`'s slots starting after `after`, soonest first, each with whether it is booked now. */
  slotsOf(doctor: string, after: number, limit: number): Promise<(SlotDbRow & { booked: number })[]>;
  /** `doctor`'s slots starting after `after` that no booking holds, soonest first. */
  openSlotsOf(doctor: string, after: number, limit: number): Promise<SlotDbRow[]>;
  /**
   * Inserts a booking unless the slot already holds one in state 'booked' (the unique index decides, not a
   * prior read); true when it did.
   */
  insertBooking(row: AppointmentDbRow): Promise<boolean>;
  get(id: string): Promise<AppointmentDbRow | undefined>;
  /** 'booked' becomes `state` (with who and when, and where it moved); false when it was not booked. */
  close(id: string, state: "cancelled" | "moved", closedBy: "patient" | "doctor", closedAt: number, movedTo: string | null): Promise<boolean>;
  /** The DID's appointments (as patient or doctor) ending after `after`, soonest first. */
  of(did: string, after: number, limit: number): Promise<AppointmentDbRow[]>;
  /** Marks booked appointments starting in (now, until] as reminded and returns them: each one once, across replicas. */
  claimReminders(now: number, until: number): Promise<AppointmentDbRow[]>;
}

const BOOKING_COLUMNS = "id, slot_id, doctor, patient, starts_at, ends_at, state, reason, created_at, closed_at, closed_by, moved_to, reminded_at";

export function appointmentSql(db: Runner): AppointmentSql {
  const slots = (text: string, values: readonly unknown[]) => db.all<SlotDbRow>(text, values);
  const bookings = (text: string, values: readonly unknown[]) => db.all<AppointmentDbRow>(text, values);
  return {
    async insertSlot(r) {
      await db.run("INSERT INTO appointment_slots (id, doctor, starts_at, ends_at, created_at) VALUES ($1, $2, $3, $4, $5)", [r.id, r.doctor, r.starts_at, r.ends_at, r.created_at]);
    },
    slot: async (id) => (await slots("SELECT * FROM appointment_slots WHERE id = $1", [id]))[0],
    overlapping: async (doctor, startsAt, endsAt) =>
      (await slots("SELECT * FROM appointment_slots WHERE doctor = $1 AND starts_at < $2 AND ends_at > $3 LIMIT 1", [doctor, endsAt, startsAt]))[0],
    slotsOf: (doctor, after, limit) =>
      db.all<SlotDbRow & { booked: number }>(
        `SELECT s.*, CASE WHEN EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = s.id AND a.state = 'booked') THEN 1 ELSE 0 END AS booked
         FROM appointment_slots s WHERE s.doctor = $1 AND s.starts_at > $2 ORDER BY s.starts_at LIMIT $3`,
        [doctor, after, limit],
      ),
    openSlotsOf: (doctor, after, limit) =>
      slots(
        `SELECT s.* FROM appointment_slots s WHERE s.doctor = $1 AND s.starts_at > $2
           AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = s.id AND a.state = 'booked')
         ORDER BY s.starts_at LIMIT $3`,
        [doctor, after, limit],
      ),
    // The unique index decides: on PostgreSQL a concurrent insert for the same slot waits for the first to
    // commit, then finds the conflict; exactly one lands.
    insertBooking: async (r) =>
      (await db.run(`INSERT INTO appointments (${BOOKING_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING`, [
        r.id, r.slot_id, r.doctor, r.patient, r.starts_at, r.ends_at, r.state, r.reason, r.created_at, r.closed_at, r.closed_by, r.moved_to, r.reminded_at,
      ])) === 1,
    get: async (id) => (await bookings("SELECT * FROM appointments WHERE id = $1", [id]))[0],
    close: async (id, state, closedBy, closedAt, movedTo) =>
      (await db.run("UPDATE appointments SET state = $2, closed_by = $3, closed_at = $4, moved_to = $5 WHERE id = $1 AND state = 'booked'", [id, state, closedBy, closedAt, movedTo])) === 1,
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
