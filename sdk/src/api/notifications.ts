import { Type, type Static } from "typebox";
import { Did } from "./did.js";
import { AppointmentIdSchema } from "./appointments.js";

/**
 * What the API tells a signed-in DID about its account (`GET /notifications`): guardian duty and recovery
 * steps on either side, devices signed out, a doctor's license suspended, reinstated or revoked, and
 * appointments booked, cancelled, moved or about to start. Served only to that DID's own session; the portal (and
 * any later sender: mail, push) reads the same payload.
 */
export const NOTIFICATION_KINDS = [
  /** You were named a guardian of `patient`. */
  "guardian.named",
  /** `patient` no longer names you a guardian. */
  "guardian.removed",
  /** `requester` asked to recover `patient`'s account; guardians may approve from `readyAt`. */
  "recovery.requested",
  /** The request was cancelled (by the patient's old session, or withdrawn by its requester: `by`). */
  "recovery.cancelled",
  /** `guardian` approved the request. */
  "recovery.approved",
  /** The requester rebuilt the master: `patient`'s account moved to `requester`. */
  "recovery.completed",
  /** Device entries were revoked (`count` of them): sign out everywhere, or a completed recovery. */
  "devices.revoked",
  /** The issuer suspended your license `credential`: patients' records stay closed to your app until it is reinstated. */
  "license.suspended",
  /** The issuer reinstated your suspended license `credential`. */
  "license.reinstated",
  /** The issuer revoked your license `credential` for good. */
  "license.revoked",
  /** `patient` booked appointment `appointmentId` with you (the doctor), starting `startsAt`. */
  "appointment.booked",
  /** Appointment `appointmentId` was cancelled by the other party (`by`). */
  "appointment.cancelled",
  /** `patient` moved appointment `appointmentId` to `movedTo`, now starting `startsAt`. */
  "appointment.moved",
  /** Appointment `appointmentId` (with `patient` or `doctor`) starts at `startsAt`: soon. */
  "appointment.reminder",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NotificationSchema = Type.Object({
  id: Type.Integer({ minimum: 1, description: "increasing: pass the highest seen as `after` to get only newer ones" }),
  at: Type.Integer({ description: "milliseconds since the epoch" }),
  kind: Type.Unsafe<NotificationKind>(Type.String({ enum: [...NOTIFICATION_KINDS] })),
  requestId: Type.Optional(Type.String({ pattern: "^[0-9a-f]{32}$" })),
  patient: Type.Optional(Did),
  requester: Type.Optional(Did),
  guardian: Type.Optional(Did),
  /** Who cancelled: the patient or the requester (a recovery), the patient or the doctor (an appointment). */
  by: Type.Optional(Type.Union([Type.Literal("patient"), Type.Literal("requester"), Type.Literal("doctor")])),
  doctor: Type.Optional(Did),
  appointmentId: Type.Optional(AppointmentIdSchema),
  movedTo: Type.Optional(AppointmentIdSchema),
  startsAt: Type.Optional(Type.Integer()),
  readyAt: Type.Optional(Type.Integer()),
  count: Type.Optional(Type.Integer()),
  /** A license credential's id (license.* kinds). */
  credential: Type.Optional(Type.String({ pattern: "^urn:uuid:[0-9a-f-]{36}$" })),
});
export type Notification = Static<typeof NotificationSchema>;
/** A notification before the API numbers and dates it. */
export type NotificationDraft = Omit<Notification, "id" | "at">;

export const NotificationsSchema = Type.Object({ notifications: Type.Array(NotificationSchema) });
export type Notifications = Static<typeof NotificationsSchema>;
