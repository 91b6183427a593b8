import { randomUUID } from "node:crypto";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptionKeyOfMaster, newMasterKey, openVisitReason, sealVisitReason, type Appointment, type Notification, type Slot } from "@openchart/sdk";
import { startPostgres, type PostgresServer } from "@openchart/testkit/postgres";
import { walletSession, type TestWallet } from "@openchart/testkit/session";
import type { SigningSession } from "@openchart/sdk";
import { issueTo, present } from "../../test/doctors.js";
import { startInProcessApi, type InProcessApi } from "../../test/in-process-api.js";
import { SIGN_IN_ENV, userOn, type Reply, type User } from "../../test/signed-client.js";

const MIN = 60_000;
const CONCURRENT = 50;
const issuerWallet = Wallet.createRandom();
const ENV = { ...SIGN_IN_ENV, API_ISSUER_DIDS: `did:pkh:eip155:31337:${issuerWallet.address.toLowerCase()}` };

type Signed = { session: SigningSession; wallet: TestWallet };
let postgres: PostgresServer;
// Sessions are made once and used at both engines' APIs: a did-session is not tied to a server.
const sessions: { issuer?: Signed; doctor?: Signed; otherDoctor?: Signed; patients: Signed[] } = { patients: [] };

beforeAll(async () => {
  const [pg, issuer, doctor, otherDoctor, ...patients] = await Promise.all([
    startPostgres(),
    walletSession({ wallet: issuerWallet }),
    walletSession(),
    walletSession(),
    ...Array.from({ length: CONCURRENT }, () => walletSession()),
  ]);
  postgres = pg;
  Object.assign(sessions, { issuer, doctor, otherDoctor, patients });
}, 120_000);

afterAll(async () => {
  await postgres?.stop();
});

const code = (reply: Reply<unknown>) => (reply.body as { code?: string }).code;
const key = () => randomUUID();
/** A future slot `minutes` from now, `length` minutes long, at a whole minute. */
const at = (minutes: number, length = 30) => {
  const startsAt = Math.ceil((Date.now() + minutes * MIN) / MIN) * MIN;
  return { startsAt, endsAt: startsAt + length * MIN };
};

const ENGINES: [string, () => string | undefined][] = [
  ["SQLite", () => undefined],
  ["PostgreSQL", () => postgres.url],
];

describe.each(ENGINES)("appointments on %s", (_engine, databaseUrl) => {
  let api: InProcessApi;
  let doctor: User;
  let otherDoctor: User;
  let patients: User[];

  beforeAll(async () => {
    const url = databaseUrl();
    api = await startInProcessApi(ENV, { licensing: true, ...(url ? { databaseUrl: url } : {}) });
    const issuer = userOn(api.url, sessions.issuer!);
    doctor = userOn(api.url, sessions.doctor!);
    otherDoctor = userOn(api.url, sessions.otherDoctor!);
    for (const d of [doctor, otherDoctor]) {
      const presented = await present(d, (await issueTo(issuer, d.did)).jwt);
      expect(presented.status).toBe(200);
    }
    patients = sessions.patients.map((s) => userOn(api.url, s));
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
  });

  const publish = (who: User, ...slots: { startsAt: number; endsAt: number }[]) => who.post<{ slots: Slot[] }>("/appointments/slots", { slots });
  const book = (patient: User, slot: Slot, idempotencyKey = key(), extra: Record<string, unknown> = {}) =>
    patient.post<Appointment>("/appointments", { doctor: slot.doctor, slotId: slot.id, ...extra }, { "idempotency-key": idempotencyKey });
  const notifications = async (user: User) => (await user.get<{ notifications: Notification[] }>("/notifications")).body.notifications;

  it(`${CONCURRENT} patients booking one slot at once: exactly one booking, the rest 409 SLOT_TAKEN; retries replay the same booking`, async () => {
    const [slot] = (await publish(doctor, at(600))).body.slots;
    const keys = patients.map(() => key());
    const replies = await Promise.all(patients.map((p, i) => book(p, slot!, keys[i])));
    const won = replies.flatMap((r, i) => (r.status === 201 ? [i] : []));
    expect(won).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409).map(code)).toEqual(Array(CONCURRENT - 1).fill("SLOT_TAKEN"));
    const winner = won[0]!;
    const booking = replies[winner]!.body;
    expect(booking).toMatchObject({ slotId: slot!.id, doctor: doctor.did, patient: patients[winner]!.did, state: "booked" });

    // Every patient retries with their own key at once: the winner's retry replays its booking; the others still hear 409.
    const retries = await Promise.all(patients.map((p, i) => book(p, slot!, keys[i])));
    expect(retries[winner]).toMatchObject({ status: 201, body: booking });
    expect(retries.filter((r) => r.status === 409).map(code)).toEqual(Array(CONCURRENT - 1).fill("SLOT_TAKEN"));
    // The same key with another request is refused, not treated as a retry.
    const [other] = (await publish(doctor, at(700))).body.slots;
    expect(code(await book(patients[winner]!, other!, keys[winner]))).toBe("IDEMPOTENCY_KEY_REUSED");

    // Both parties see it; no one else does; the slot is no longer open.
    expect((await patients[winner]!.get<{ appointments: Appointment[] }>("/appointments")).body.appointments.map((a) => a.id)).toContain(booking.id);
    expect((await doctor.get<{ appointments: Appointment[] }>("/appointments")).body.appointments.map((a) => a.id)).toContain(booking.id);
    const loser = patients[(winner + 1) % CONCURRENT]!;
    expect((await loser.get<{ appointments: Appointment[] }>("/appointments")).body.appointments.map((a) => a.id)).not.toContain(booking.id);
    expect((await loser.post<{ slots: Slot[] }>("/appointments/slots/open", { doctor: doctor.did })).body.slots.map((s) => s.id)).not.toContain(slot!.id);
    expect((await doctor.get<{ slots: Slot[] }>("/appointments/slots")).body.slots.find((s) => s.id === slot!.id)).toMatchObject({ booked: true });
    expect((await notifications(doctor)).find((n) => n.appointmentId === booking.id)).toMatchObject({ kind: "appointment.booked", patient: patients[winner]!.did });
  });

  it("cancels (either party, the other notified; the slot opens again) and moves (atomically; a taken slot leaves the old booking standing)", async () => {
    const [patient, rival] = [patients[0]!, patients[1]!];
    const { slots } = (await publish(doctor, at(1000), at(1040), at(1080))).body;
    const [first, second, third] = slots as [Slot, Slot, Slot];
    const booked = (await book(patient, first)).body;

    // The rival holds the third slot: a move there is refused and the first booking stands.
    expect((await book(rival, third)).status).toBe(201);
    const refused = await patient.post(`/appointments/${booked.id}/reschedule`, { slotId: third.id }, { "idempotency-key": key() });
    expect([refused.status, code(refused)]).toEqual([409, "SLOT_TAKEN"]);
    expect((await patient.get<{ appointments: Appointment[] }>("/appointments")).body.appointments.find((a) => a.id === booked.id)).toMatchObject({ state: "booked" });

    const moveKey = key();
    const moved = await patient.post<Appointment>(`/appointments/${booked.id}/reschedule`, { slotId: second.id }, { "idempotency-key": moveKey });
    expect(moved).toMatchObject({ status: 201, body: { slotId: second.id, state: "booked", patient: patient.did } });
    expect(await patient.post<Appointment>(`/appointments/${booked.id}/reschedule`, { slotId: second.id }, { "idempotency-key": moveKey })).toMatchObject({ status: 201, body: moved.body });
    const mine = (await patient.get<{ appointments: Appointment[] }>("/appointments")).body.appointments;
    expect(mine.find((a) => a.id === booked.id)).toMatchObject({ state: "moved", movedTo: moved.body.id, closedBy: "patient" });
    expect((await notifications(doctor)).find((n) => n.kind === "appointment.moved" && n.appointmentId === booked.id)).toMatchObject({ movedTo: moved.body.id });
    // The first slot is free again: someone else books it.
    expect((await book(rival, first)).status).toBe(201);
    // A closed appointment moves no more.
    expect(code(await patient.post(`/appointments/${booked.id}/reschedule`, { slotId: third.id }, { "idempotency-key": key() }))).toBe("APPOINTMENT_CLOSED");

    // The doctor cancels; the patient is told; a second cancel is refused; a stranger learns nothing.
    expect(code(await patients[2]!.post(`/appointments/${moved.body.id}/cancel`))).toBe("APPOINTMENT_UNKNOWN");
    const cancelled = await doctor.post<Appointment>(`/appointments/${moved.body.id}/cancel`);
    expect(cancelled).toMatchObject({ status: 200, body: { state: "cancelled", closedBy: "doctor" } });
    expect(code(await patient.post(`/appointments/${moved.body.id}/cancel`))).toBe("APPOINTMENT_CLOSED");
    expect((await notifications(patient)).find((n) => n.kind === "appointment.cancelled" && n.appointmentId === moved.body.id)).toMatchObject({ by: "doctor", doctor: doctor.did });
    expect((await rival.post<{ slots: Slot[] }>("/appointments/slots/open", { doctor: doctor.did })).body.slots.map((s) => s.id)).toContain(second.id);
  });

  it("reminds both parties once, ahead of the start", async () => {
    const [patient] = [patients[3]!];
    const [soon] = (await publish(doctor, at(20))).body.slots;
    const booked = (await book(patient, soon!)).body;
    expect(await api.store.appointments.remind(Date.now(), 30 * MIN)).toBeGreaterThanOrEqual(1);
    expect(await api.store.appointments.remind(Date.now(), 30 * MIN)).toBe(0);
    for (const [who, other] of [[patient, { doctor: doctor.did }], [doctor, { patient: patient.did }]] as const) {
      const reminders = (await notifications(who)).filter((n) => n.kind === "appointment.reminder" && n.appointmentId === booked.id);
      expect(reminders).toEqual([expect.objectContaining({ startsAt: soon!.startsAt, ...other })]);
    }
  });

  it("keeps the visit reason sealed to the doctor: ciphertext in, ciphertext out; plaintext refused", async () => {
    const patient = patients[4]!;
    const [doctorKey, patientKey] = [encryptionKeyOfMaster(newMasterKey()), encryptionKeyOfMaster(newMasterKey())];
    const reason = await sealVisitReason("Rash on both arms since the new medication", doctorKey.did, patientKey.secretKey);
    const [slot, other] = (await publish(doctor, at(1200), at(1240))).body.slots as [Slot, Slot];
    expect(code(await book(patient, slot, key(), { reason: "Rash on both arms" }))).toBe("INVALID_REQUEST");
    const booked = await book(patient, slot, key(), { reason });
    expect(booked).toMatchObject({ status: 201, body: { reason } });
    const seen = (await doctor.get<{ appointments: Appointment[] }>("/appointments")).body.appointments.find((a) => a.id === booked.body.id)?.reason;
    expect(seen).toBe(reason);
    expect(await openVisitReason(seen!, doctorKey.secretKey)).toBe("Rash on both arms since the new medication");
    // Moved, the reason goes with it (sealed to the same doctor).
    const moved = await patient.post<Appointment>(`/appointments/${booked.body.id}/reschedule`, { slotId: other.id }, { "idempotency-key": key() });
    expect(moved.body.reason).toBe(reason);
  });

  it("refuses bad input: a slot in the past, too short or too long, overlapping availability, another doctor's slot, no key, not a doctor", async () => {
    const patient = patients[5]!;
    const past = { startsAt: Date.now() - 60 * MIN, endsAt: Date.now() - 30 * MIN };
    expect(code(await publish(doctor, past))).toBe("SLOT_IN_PAST");
    expect(code(await publish(doctor, at(2000, 2)))).toBe("INVALID_REQUEST");
    expect(code(await publish(doctor, at(2000, 300)))).toBe("INVALID_REQUEST");
    expect(code(await publish(doctor, { startsAt: at(2000).startsAt, endsAt: at(2000).startsAt }))).toBe("INVALID_REQUEST");
    expect(code(await publish(doctor, at(500 * 24 * 60)))).toBe("INVALID_REQUEST");
    // Overlapping availability: within one request, and with a slot published before; nothing of the request is stored.
    expect(code(await publish(doctor, at(2000), at(2020)))).toBe("SLOT_OVERLAP");
    const [kept] = (await publish(doctor, at(2100))).body.slots;
    expect(code(await publish(doctor, at(2200), at(2115)))).toBe("SLOT_OVERLAP");
    const open = (await patient.post<{ slots: Slot[] }>("/appointments/slots/open", { doctor: doctor.did })).body.slots;
    expect(open.some((s) => s.startsAt === at(2200).startsAt)).toBe(false);
    // Back to back is no overlap; another doctor's slot at the same time is theirs to publish.
    expect((await publish(doctor, { startsAt: kept!.endsAt, endsAt: kept!.endsAt + 30 * MIN })).status).toBe(201);
    const [theirs] = (await publish(otherDoctor, at(2100))).body.slots;
    // Only a licensed doctor publishes.
    expect(code(await publish(patient, at(3000)))).toBe("FORBIDDEN");

    // Booking: not the doctor's slot, unknown slot, no key, own slot, a slot that has started.
    expect(code(await patient.post("/appointments", { doctor: doctor.did, slotId: theirs!.id }, { "idempotency-key": key() }))).toBe("SLOT_NOT_DOCTORS");
    expect(code(await patient.post("/appointments", { doctor: doctor.did, slotId: "0".repeat(32) }, { "idempotency-key": key() }))).toBe("SLOT_UNKNOWN");
    expect(code(await patient.post("/appointments", { doctor: doctor.did, slotId: kept!.id }))).toBe("INVALID_REQUEST");
    expect(code(await book(doctor, kept!))).toBe("FORBIDDEN");
    const [soon] = (await publish(doctor, { startsAt: Date.now() + 1_500, endsAt: Date.now() + 1_500 + 10 * MIN })).body.slots;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, soon!.startsAt - Date.now() + 10)));
    expect(code(await book(patient, soon!))).toBe("SLOT_IN_PAST");
    // Moving to another doctor's slot, or someone else's appointment.
    const mine = (await book(patient, kept!)).body;
    expect(code(await patient.post(`/appointments/${mine.id}/reschedule`, { slotId: theirs!.id }, { "idempotency-key": key() }))).toBe("SLOT_NOT_DOCTORS");
    expect(code(await patients[6]!.post(`/appointments/${mine.id}/reschedule`, { slotId: theirs!.id }, { "idempotency-key": key() }))).toBe("APPOINTMENT_UNKNOWN");
    expect(code(await patient.post(`/appointments/${mine.id}/reschedule`, { slotId: kept!.id }, { "idempotency-key": key() }))).toBe("INVALID_REQUEST");
    // Unknown fields and malformed ids.
    expect(code(await patient.post("/appointments", { doctor: doctor.did, slotId: kept!.id, patient: patient.did }, { "idempotency-key": key() }))).toBe("INVALID_REQUEST");
    expect(code(await patient.post("/appointments/not-an-id/cancel"))).toBe("INVALID_REQUEST");
  });

  it("answers nothing unsigned: who books with whom is not public", async () => {
    for (const [method, path] of [["GET", "/appointments"], ["GET", "/appointments/slots"], ["POST", "/appointments/slots/open"], ["POST", "/appointments"]] as const) {
      const response = await fetch(`${api.url}${path}`, { method, ...(method === "POST" ? { headers: { "content-type": "application/json" }, body: JSON.stringify({ doctor: doctor.did }) } : {}) });
      expect([path, response.status]).toEqual([path, method === "POST" && path === "/appointments" ? 400 : 401]);
    }
  });
});
