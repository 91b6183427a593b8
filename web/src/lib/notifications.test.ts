import { describe, expect, it } from "vitest";
// Test-only: an in-memory localStorage.
import { MemoryStorage } from "@openchart/testkit/memory-storage";
import type { Notification } from "@openchart/sdk";
import { describeNotification, lastSeen, markSeen } from "./notifications";

const did = (n: number) => `did:pkh:eip155:31337:0x${String(n).repeat(40).slice(0, 40)}`;
const PATIENT = did(1);
const HEIR = did(9);
const GUARDIAN = did(2);
const T0 = Date.UTC(2026, 10, 24, 12, 0);
const n = (over: Partial<Notification>): Notification => ({ id: 1, at: T0, kind: "recovery.requested", patient: PATIENT, requester: HEIR, readyAt: T0 + 72 * 3_600_000, ...over });

describe("notifications in words", () => {
  it("tells each side of a recovery request what to do", () => {
    expect(describeNotification(n({}), PATIENT)).toEqual({
      text: "0x9999…9999 asked to recover your account. If this was not you, cancel it in Settings before 2026-11-27 12:00 UTC.",
      act: "settings",
    });
    expect(describeNotification(n({}), HEIR).act).toBe("recovery");
    expect(describeNotification(n({}), GUARDIAN)).toEqual({
      text: "0x9999…9999 asked to recover 0x1111…1111's account. Check with 0x1111…1111 in person or by phone; you can approve from 2026-11-27 12:00 UTC.",
      act: "guardian",
    });
  });

  it("tells both parties of an appointment what changed, and reminds them, with the way to Appointments", () => {
    const DOCTOR = did(4);
    const at = { appointmentId: "a".repeat(32), startsAt: T0 + 3_600_000 };
    expect(describeNotification(n({ kind: "appointment.booked", patient: PATIENT, ...at }), DOCTOR)).toEqual({
      text: "0x1111…1111 booked a consult with you for 2026-11-24 13:00 UTC.",
      act: "appointments",
    });
    expect(describeNotification(n({ kind: "appointment.cancelled", by: "doctor", doctor: DOCTOR, patient: undefined, ...at }), PATIENT).text).toBe(
      "Dr. 0x4444…4444 cancelled the consult of 2026-11-24 13:00 UTC.",
    );
    expect(describeNotification(n({ kind: "appointment.moved", patient: PATIENT, ...at }), DOCTOR).text).toBe("0x1111…1111 moved their consult with you to 2026-11-24 13:00 UTC.");
    expect(describeNotification(n({ kind: "appointment.reminder", doctor: DOCTOR, patient: undefined, ...at }), PATIENT).text).toBe(
      "Reminder: your consult with Dr. 0x4444…4444 starts at 2026-11-24 13:00 UTC. Join it from Appointments.",
    );
  });

  it("names who cancelled, who approved, and how many devices were signed out", () => {
    expect(describeNotification(n({ kind: "recovery.cancelled", by: "patient" }), GUARDIAN).text).toBe("The recovery of 0x1111…1111 was cancelled by the account's own wallet.");
    expect(describeNotification(n({ kind: "recovery.cancelled", by: "requester" }), PATIENT).text).toBe("The recovery of your account was withdrawn by the wallet that asked.");
    expect(describeNotification(n({ kind: "recovery.approved", guardian: GUARDIAN }), HEIR)).toEqual({ text: "Guardian 0x2222…2222 approved the recovery of 0x1111…1111.", act: "recovery" });
    expect(describeNotification(n({ kind: "devices.revoked", count: 1 }), PATIENT).text).toMatch(/^1 device was signed out/);
    expect(describeNotification(n({ kind: "guardian.named" }), GUARDIAN).text).toMatch(/^0x1111…1111 named you one of their guardians/);
    expect(describeNotification(n({ kind: "recovery.completed" }), PATIENT).text).toMatch(/^Your account was recovered by 0x9999…9999/);
  });

  it("remembers per account the newest one shown, never going back", () => {
    const storage = new MemoryStorage();
    expect(lastSeen(storage, PATIENT)).toBe(0);
    markSeen(storage, PATIENT, [n({ id: 7 }), n({ id: 5 })]);
    markSeen(storage, PATIENT, [n({ id: 3 })]);
    expect(lastSeen(storage, PATIENT)).toBe(7);
    expect(lastSeen(storage, HEIR)).toBe(0);
    storage.setItem("openchart.notifications.seen.v1", "not json");
    expect(lastSeen(storage, PATIENT)).toBe(0);
  });
});
