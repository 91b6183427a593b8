import { MemoryStorage } from "@openchart/testkit/memory-storage";
import type { AccessEvent, AccessRequest, GrantSummary } from "@openchart/sdk/vault";
import { describe, expect, it } from "vitest";
import { activityAlerts, lastSeen, markSeen, type ActivityInput } from "./patient-activity";

const DAY = 86_400_000;
const NOW = Date.parse("2026-03-01T12:00:00Z");
const PATIENT = "did:pkh:eip155:31337:0x90f79bf6eb2c4f870365e785982e1f101e93b906";
const DOCTOR = "did:pkh:eip155:31337:0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";
const OTHER = "did:pkh:eip155:31337:0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc";

/** A share of record r1 with `grantee`, made a day ago, ending `daysLeft` days from NOW. */
function share(id: string, grantee: string, daysLeft: number, revoked = false): GrantSummary {
  return { id, patient: PATIENT, grantee, recordIds: ["r1"], expiresAt: new Date(NOW + daysLeft * DAY).toISOString(), revoked, createdAt: new Date(NOW - DAY).toISOString() };
}

function input(parts: Partial<ActivityInput>): ActivityInput {
  return { grants: [], refusedLicenses: new Map(), notes: [], requests: [], opened: [], titleOf: () => "a record", ...parts };
}

const opened = (seq: number, at: number, title = ""): AccessEvent => ({ seq, at, by: DOCTOR, recordId: "r1", title, keyVersion: 1 });

describe("activityAlerts", () => {
  it("names a doctor's unanswered request for access, new until read, and drops it once answered", () => {
    const request: AccessRequest = {
      id: "q1",
      doctor: DOCTOR,
      patient: PATIENT,
      reason: "Cholesterol follow-up",
      days: 14,
      categories: [],
      recordIds: [],
      createdAt: new Date(NOW - DAY).toISOString(),
      expiresAt: new Date(NOW + 13 * DAY).toISOString(),
    };
    const [alert] = activityAlerts(input({ requests: [request] }), NOW - 2 * DAY, NOW);
    expect(alert).toMatchObject({ key: "request:q1", href: "#/patient/requests", fresh: true });
    expect(alert!.text).toMatch(/^0x15d3…6a65 \(no name shared\) asks for access to your records for 14 days: “Cholesterol follow-up”\. Approve or decline/);
    expect(activityAlerts(input({ requests: [request] }), NOW, NOW)[0]!.fresh).toBe(false);
    expect(activityAlerts(input({ requests: [{ ...request, answer: { decision: "declined", answeredAt: new Date(NOW).toISOString() } }] }), 0, NOW)).toEqual([]);
  });

  it("names a share ending within 3 days (not a later one, not a revoked one), new until read after its warning began", () => {
    const grants = [share("g1", DOCTOR, 2), share("g2", DOCTOR, 5), share("g3", OTHER, 1, true)];
    const alerts = activityAlerts(input({ grants }), 0, NOW);
    expect(alerts.map((a) => a.key)).toEqual([`ending:g1:${grants[0]!.expiresAt}`]);
    expect(alerts[0]!.text).toMatch(/^Your share of 1 record with 0x15d3…6a65 \(no name shared\) ends .*Extend it on Sharing/);
    expect(alerts[0]!).toMatchObject({ href: "#/patient/sharing", fresh: true });
    // Read after the 3-day warning began: no longer new. Read before it: new again.
    expect(activityAlerts(input({ grants }), NOW - DAY, NOW)[0]!.fresh).toBe(false);
    expect(activityAlerts(input({ grants }), NOW - 2 * DAY, NOW)[0]!.fresh).toBe(true);
  });

  it("tells of a refused license only for a doctor with a running share, in words, always new", () => {
    const grants = [share("g1", DOCTOR, 9), share("g2", OTHER, 9, true)];
    const refusedLicenses = new Map([
      [DOCTOR.toUpperCase().replace("DID:PKH:EIP155", "did:pkh:eip155"), "the issuer suspended the license"],
      [OTHER, "the issuer revoked the license"],
    ]);
    const alerts = activityAlerts(input({ grants, refusedLicenses }), NOW, NOW);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toContain("no longer verifies (the issuer suspended the license)");
    expect(alerts[0]!.fresh).toBe(true);
  });

  it("lists notes and opens newest first, new only when later than the last read, with the record's title when the report has none", () => {
    const notes = [{ id: "n1", author: DOCTOR, patient: PATIENT, kind: "prescription", createdAt: new Date(NOW - 3 * DAY).toISOString() }];
    const alerts = activityAlerts(input({ notes, opened: [opened(1, NOW - DAY, "Lipid panel"), opened(2, NOW - 60_000)], titleOf: () => "Chest X-ray" }), NOW - 2 * DAY, NOW);
    expect(alerts.map((a) => [a.text, a.fresh])).toEqual([
      ["0x15d3…6a65 (no name shared) opened “Chest X-ray”.", true],
      ["0x15d3…6a65 (no name shared) opened “Lipid panel”.", true],
      ["0x15d3…6a65 (no name shared) wrote you a new prescription.", false],
    ]);
    expect(alerts[2]!.href).toBe("#/patient/notes");
  });
});

describe("lastSeen and markSeen", () => {
  it("keep one time per account (any case), and read a damaged entry as never seen", () => {
    const storage = new MemoryStorage();
    expect(lastSeen(storage, PATIENT)).toBe(0);
    markSeen(storage, PATIENT.toUpperCase(), NOW);
    markSeen(storage, DOCTOR, NOW - DAY);
    expect(lastSeen(storage, PATIENT)).toBe(NOW);
    expect(lastSeen(storage, DOCTOR)).toBe(NOW - DAY);
    storage.setItem("openchart.activity.seen.v1", "{not json");
    expect(lastSeen(storage, PATIENT)).toBe(0);
    markSeen(storage, PATIENT, NOW + 1);
    expect(lastSeen(storage, PATIENT)).toBe(NOW + 1);
  });
});
