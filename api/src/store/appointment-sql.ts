// The appointment tables' SQL (see `appointmentTables`), part of an engine's `Sql` (engine.ts).

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
