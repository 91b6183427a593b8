import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  AppointmentIdSchema,
  AppointmentListSchema,
  AppointmentSchema,
  BookBodySchema,
  normalizeAccountDid,
  OpenSlotsBodySchema,
  PublishSlotsBodySchema,
  RescheduleBodySchema,
  SLOT_HORIZON_DAYS,
  SLOT_MAX_MINUTES,
  SLOT_MIN_MINUTES,
  SlotListSchema,
  type SlotTimes,
} from "@openchart/sdk";
import { Type } from "typebox";
import type { AuditAction } from "../audit/log.js";
import type { AuditWriter } from "../audit/writer.js";
import { callerOf } from "../auth/route-auth.js";
import { apiError, ProblemSchema, type ApiErrorCode } from "../errors.js";
import type { AppointmentStore, BookOutcome } from "../store/store.js";

export interface AppointmentRoutesOptions {
  appointments: AppointmentStore;
  audit: AuditWriter;
  /** How long before an appointment both parties are reminded. */
  reminderMs: number;
  /** How often due reminders are looked for. */
  remindEveryMs?: number;
}

const MINUTE_MS = 60_000;
const LIST_LIMIT = 200;
const Params = Type.Object({ id: AppointmentIdSchema }, { additionalProperties: false });
/** Booking and moving need the key: a retry after a lost answer must find the booking it made, not a 409. */
const KeyRequired = Type.Object({ "idempotency-key": Type.String() });

/** Why a booking (or a move) was not made, as the API answers it. */
const REFUSALS: Record<Exclude<BookOutcome["kind"], "booked">, [ApiErrorCode, string]> = {
  taken: ["SLOT_TAKEN", "another patient booked this slot first: choose another one"],
  "slot-unknown": ["SLOT_UNKNOWN", "no slot has this id"],
  "not-doctors": ["SLOT_NOT_DOCTORS", "this slot belongs to another doctor (the visit reason is sealed to the doctor named)"],
  past: ["SLOT_IN_PAST", "this slot has already started"],
  "own-slot": ["FORBIDDEN", "a doctor cannot book their own slot"],
  "same-slot": ["INVALID_REQUEST", "the appointment already has this slot"],
  "appointment-unknown": ["APPOINTMENT_UNKNOWN", "you have no appointment with this id"],
  closed: ["APPOINTMENT_CLOSED", "this appointment was already cancelled or moved"],
};

/** A slot the rules refuse before anything is read: its length, its start in the past or too far ahead. */
function slotProblem(slot: SlotTimes, now: number): string | undefined {
  const minutes = (slot.endsAt - slot.startsAt) / MINUTE_MS;
  if (slot.startsAt <= now) return `a slot starting at ${new Date(slot.startsAt).toISOString()} has already started`;
  if (slot.startsAt > now + SLOT_HORIZON_DAYS * 86_400_000) return `a slot starts at most ${SLOT_HORIZON_DAYS} days ahead`;
  if (!(minutes >= SLOT_MIN_MINUTES && minutes <= SLOT_MAX_MINUTES)) return `a slot lasts ${SLOT_MIN_MINUTES} to ${SLOT_MAX_MINUTES} minutes, got ${minutes}`;
  return undefined;
}

/**
 * Appointments: a doctor (licensed in this session) publishes slots; a signed-in patient lists a doctor's
 * open slots, books one with an Idempotency-Key, cancels or moves it; both list their upcoming appointments
 * and are reminded (notifications) `reminderMs` ahead. Every route is signed in, and each caller sees only
 * appointments they are a party to: who books with whom is the API operator's to know, no one else's. The
 * visit reason arrives sealed to the doctor and is stored as it came.
 *
 * Audit: each decision under the caller's own DID, with the appointment or slot IDs only.
 */
export const appointmentRoutes: FastifyPluginAsyncTypebox<AppointmentRoutesOptions> = async (app, { appointments, audit, reminderMs, remindEveryMs = 30_000 }) => {
  const record = (did: string, action: AuditAction, decision: "accepted" | "refused", refs: Record<string, string | number>) =>
    audit.append({ subject: did, action, decision, refs });
  const refuse = async (did: string, action: AuditAction, outcome: Exclude<BookOutcome, { kind: "booked" }>): Promise<never> => {
    const [code, detail] = REFUSALS[outcome.kind];
    await record(did, action, "refused", { reason: code });
    throw apiError(code, detail);
  };
  const me = (request: Parameters<typeof callerOf>[0]) => normalizeAccountDid(callerOf(request).did);

  const remind = () =>
    appointments.remind(Date.now(), reminderMs).catch((error: Error) => app.log.warn({ err: error }, "appointment reminders failed"));
  const timer = setInterval(() => void remind(), remindEveryMs);
  timer.unref();
  app.addHook("onClose", async () => clearInterval(timer));

  app.post(
    "/appointments/slots",
    {
      config: { auth: "doctor", idempotent: true },
      schema: {
        summary: "Publish availability: slots patients may book",
        description: `A doctor with a license presented in this session. Each slot starts in the future (at most ${SLOT_HORIZON_DAYS} days ahead) and lasts ${SLOT_MIN_MINUTES} to ${SLOT_MAX_MINUTES} minutes; none may overlap another in the request or one the doctor already published (409 SLOT_OVERLAP, nothing stored).`,
        tags: ["appointments"],
        security: [{ didSession: [] }],
        body: PublishSlotsBodySchema,
        response: { 201: SlotListSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const doctor = me(request);
      const now = Date.now();
      for (const slot of request.body.slots) {
        const problem = slotProblem(slot, now);
        if (problem) throw apiError(slot.startsAt <= now ? "SLOT_IN_PAST" : "INVALID_REQUEST", problem);
      }
      const outcome = await appointments.publish(doctor, request.body.slots, now);
      if (!outcome.ok) {
        const { startsAt, endsAt } = outcome.overlaps;
        throw apiError("SLOT_OVERLAP", `the slot ${new Date(startsAt).toISOString()} to ${new Date(endsAt).toISOString()} overlaps another of your slots`);
      }
      await record(doctor, "appointment.slots", "accepted", { slots: outcome.slots.length });
      return reply.code(201).send({ slots: outcome.slots });
    },
  );

  app.get(
    "/appointments/slots",
    {
      config: { auth: "doctor" },
      schema: {
        summary: "My upcoming slots (a doctor), with whether each is booked",
        tags: ["appointments"],
        security: [{ didSession: [] }],
        response: { 200: SlotListSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => ({ slots: await appointments.slotsOf(me(request), Date.now(), LIST_LIMIT) }),
  );

  app.post(
    "/appointments/slots/open",
    {
      config: { auth: "signed" },
      schema: {
        summary: "A doctor's open slots",
        description: "The doctor's DID travels in the body, so that no DID lands in a logged URL. Only slots no one holds are listed.",
        tags: ["appointments"],
        security: [{ didSession: [] }],
        body: OpenSlotsBodySchema,
        response: { 200: SlotListSchema, 400: ProblemSchema, 401: ProblemSchema },
      },
    },
    async (request) => ({ slots: await appointments.openSlotsOf(normalizeAccountDid(request.body.doctor), Date.now(), LIST_LIMIT) }),
  );

  app.post(
    "/appointments",
    {
      config: { auth: "signed", idempotent: true },
      schema: {
        summary: "Book a slot (Idempotency-Key required)",
        description:
          "A retry with the same key returns the same booking. A slot another patient holds: 409 SLOT_TAKEN (a unique index settles two bookings at once: exactly one lands). `doctor` must be the slot's (400 SLOT_NOT_DOCTORS); `reason` is sealed to that doctor.",
        tags: ["appointments"],
        security: [{ didSession: [] }],
        headers: KeyRequired,
        body: BookBodySchema,
        response: { 201: AppointmentSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const patient = me(request);
      const { doctor, slotId, reason } = request.body;
      const outcome = await appointments.book({ patient, doctor: normalizeAccountDid(doctor), slotId, reason: reason ?? null, now: Date.now() });
      if (outcome.kind !== "booked") return refuse(patient, "appointment.book", outcome);
      await record(patient, "appointment.book", "accepted", { appointmentId: outcome.appointment.id });
      return reply.code(201).send(outcome.appointment);
    },
  );

  app.get(
    "/appointments",
    {
      config: { auth: "signed" },
      schema: {
        summary: "My upcoming appointments, as patient or doctor",
        description: "Those that have not ended, soonest first, cancelled and moved ones included (so both parties see what changed).",
        tags: ["appointments"],
        security: [{ didSession: [] }],
        response: { 200: AppointmentListSchema, 401: ProblemSchema },
      },
    },
    async (request) => ({ appointments: await appointments.of(me(request), Date.now(), LIST_LIMIT) }),
  );

  app.post(
    "/appointments/:id/cancel",
    {
      config: { auth: "signed", idempotent: true },
      schema: {
        summary: "Cancel an appointment (either party)",
        description: "The slot opens again for others; the other party is notified.",
        tags: ["appointments"],
        security: [{ didSession: [] }],
        params: Params,
        response: { 200: AppointmentSchema, 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request) => {
      const caller = me(request);
      const outcome = await appointments.cancel(request.params.id, caller, Date.now());
      if (outcome.kind !== "cancelled") return refuse(caller, "appointment.cancel", outcome);
      await record(caller, "appointment.cancel", "accepted", { appointmentId: request.params.id });
      return outcome.appointment;
    },
  );

  app.post(
    "/appointments/:id/reschedule",
    {
      config: { auth: "signed", idempotent: true },
      schema: {
        summary: "Move my appointment to another slot of the same doctor (Idempotency-Key required)",
        description: "The old appointment becomes `moved` (pointing at the new one) and the new one is booked, or neither happens (409 SLOT_TAKEN and the old one stands).",
        tags: ["appointments"],
        security: [{ didSession: [] }],
        headers: KeyRequired,
        params: Params,
        body: RescheduleBodySchema,
        response: { 201: AppointmentSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const patient = me(request);
      const outcome = await appointments.reschedule({ id: request.params.id, patient, slotId: request.body.slotId, now: Date.now() });
      if (outcome.kind !== "booked") return refuse(patient, "appointment.reschedule", outcome);
      await record(patient, "appointment.reschedule", "accepted", { appointmentId: request.params.id, movedTo: outcome.appointment.id });
      return reply.code(201).send(outcome.appointment);
    },
  );
};
