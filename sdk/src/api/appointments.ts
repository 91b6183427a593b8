import { Type, type Static } from "typebox";
import { Did } from "./did.js";

// Appointments (api/src/appointments/): a licensed doctor publishes slots; a signed-in patient books one
// with an Idempotency-Key, cancels or moves it. The reason for the visit travels sealed to the doctor (the
// vault's `sealVisitReason`: the API stores the ciphertext only). Who books with whom is known to the API
// operator only: every route is signed in, and each caller sees their own appointments.

export const APPOINTMENT_ID_PATTERN = "^[0-9a-f]{32}$";
/** The shortest and longest slot a doctor may publish, in minutes. */
export const SLOT_MIN_MINUTES = 5;
export const SLOT_MAX_MINUTES = 240;
/** How far ahead a slot may start (a year). */
export const SLOT_HORIZON_DAYS = 366;
/** Slots per publish request. */
export const MAX_SLOTS_PER_REQUEST = 50;
/** The most characters of a visit reason (the sealed form is padded to a fixed length, see visit-reason.ts). */
export const MAX_VISIT_REASON_CHARS = 500;
/** The longest sealed reason the API keeps: the padded payload's stealth JSON is well under this. */
export const SEALED_REASON_MAX_CHARS = 8_192;
/**
 * A sealed reason as the sdk's `sealToRecipient` writes it ({ephemeralKey, viewTag, sealed}, in this order):
 * the API refuses anything else, so a client bug cannot store a reason in clear.
 */
export const SEALED_REASON_PATTERN = '^\\{"ephemeralKey":"[A-Za-z0-9_-]{43}","viewTag":"[0-9a-f]{2}","sealed":"\\{.*\\}"\\}$';

const Millis = (description: string) => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: `${description} (milliseconds since the epoch)` });

export const AppointmentIdSchema = Type.String({ pattern: APPOINTMENT_ID_PATTERN, description: "random, 32 hex digits" });
export const SealedReasonSchema = Type.String({
  maxLength: SEALED_REASON_MAX_CHARS,
  pattern: SEALED_REASON_PATTERN,
  description: "the reason for the visit sealed to the doctor's X25519 key (stealth JSON); never plaintext",
});

/** One slot of `POST /appointments/slots`. */
export const SlotTimesSchema = Type.Object({ startsAt: Millis("start"), endsAt: Millis("end") }, { additionalProperties: false });
export type SlotTimes = Static<typeof SlotTimesSchema>;

/** `POST /appointments/slots` (a doctor with a license presented in this session). */
export const PublishSlotsBodySchema = Type.Object(
  { slots: Type.Array(SlotTimesSchema, { minItems: 1, maxItems: MAX_SLOTS_PER_REQUEST }) },
  { additionalProperties: false },
);
export type PublishSlotsBody = Static<typeof PublishSlotsBodySchema>;

export const SlotSchema = Type.Object({
  id: AppointmentIdSchema,
  doctor: Did,
  startsAt: Millis("start"),
  endsAt: Millis("end"),
  /** Only in the doctor's own list: whether a patient holds it now. */
  booked: Type.Optional(Type.Boolean()),
});
export type Slot = Static<typeof SlotSchema>;
export const SlotListSchema = Type.Object({ slots: Type.Array(SlotSchema) });
export type SlotList = Static<typeof SlotListSchema>;

/** `POST /appointments/slots/open`: a doctor's open slots (the DID in the body, never in a logged URL). */
export const OpenSlotsBodySchema = Type.Object({ doctor: Did }, { additionalProperties: false });
export type OpenSlotsBody = Static<typeof OpenSlotsBodySchema>;

/** `POST /appointments` with an Idempotency-Key: `doctor` must be the slot's (the reason is sealed to them). */
export const BookBodySchema = Type.Object(
  { doctor: Did, slotId: AppointmentIdSchema, reason: Type.Optional(SealedReasonSchema) },
  { additionalProperties: false },
);
export type BookBody = Static<typeof BookBodySchema>;

/** `POST /appointments/:id/reschedule` with an Idempotency-Key: another slot of the same doctor. */
export const RescheduleBodySchema = Type.Object({ slotId: AppointmentIdSchema }, { additionalProperties: false });
export type RescheduleBody = Static<typeof RescheduleBodySchema>;

export const APPOINTMENT_STATES = ["booked", "cancelled", "moved"] as const;
export type AppointmentState = (typeof APPOINTMENT_STATES)[number];
export const PARTY_ROLES = ["patient", "doctor"] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

export const AppointmentSchema = Type.Object({
  id: AppointmentIdSchema,
  slotId: AppointmentIdSchema,
  doctor: Did,
  patient: Did,
  startsAt: Millis("start"),
  endsAt: Millis("end"),
  /** booked; cancelled (by `closedBy`); moved (rescheduled to `movedTo`). */
  state: Type.Unsafe<AppointmentState>(Type.String({ enum: [...APPOINTMENT_STATES] })),
  reason: Type.Optional(SealedReasonSchema),
  createdAt: Millis("booked at"),
  closedAt: Type.Optional(Millis("cancelled or moved at")),
  closedBy: Type.Optional(Type.Unsafe<PartyRole>(Type.String({ enum: [...PARTY_ROLES] }))),
  movedTo: Type.Optional(AppointmentIdSchema),
});
export type Appointment = Static<typeof AppointmentSchema>;
export const AppointmentListSchema = Type.Object({ appointments: Type.Array(AppointmentSchema) });
export type AppointmentList = Static<typeof AppointmentListSchema>;
