import { describe, expect, it } from "vitest";
import { isSoon, slotsOfPlan, startsIn, stateWords } from "./appointments";

const NOW = Date.parse("2026-03-02T08:00:00Z");

describe("appointments in the app", () => {
  it("turns a plan into back-to-back slots read as UTC, or says what is wrong with it", () => {
    expect(slotsOfPlan({ start: "2026-03-02T09:00", minutes: 30, count: 3 }, NOW)).toEqual([
      { startsAt: Date.parse("2026-03-02T09:00:00Z"), endsAt: Date.parse("2026-03-02T09:30:00Z") },
      { startsAt: Date.parse("2026-03-02T09:30:00Z"), endsAt: Date.parse("2026-03-02T10:00:00Z") },
      { startsAt: Date.parse("2026-03-02T10:00:00Z"), endsAt: Date.parse("2026-03-02T10:30:00Z") },
    ]);
    expect(slotsOfPlan({ start: "", minutes: 30, count: 1 }, NOW)).toMatch(/date and time/);
    expect(slotsOfPlan({ start: "2026-03-02T07:00", minutes: 30, count: 1 }, NOW)).toMatch(/future/);
    expect(slotsOfPlan({ start: "2026-03-02T09:00", minutes: 2, count: 1 }, NOW)).toMatch(/5 to 240 minutes/);
    expect(slotsOfPlan({ start: "2026-03-02T09:00", minutes: 30, count: 51 }, NOW)).toMatch(/1 to 50 slots/);
  });

  it("says how soon, shows the reminder within the lead for booked appointments only, and names what happened", () => {
    expect(startsIn(NOW + 25 * 60_000, NOW)).toBe("in 25 minutes");
    expect(startsIn(NOW + 3 * 3_600_000, NOW)).toBe("in 3 hours");
    expect(startsIn(NOW + 3 * 86_400_000, NOW)).toBe("in 3 days");
    expect(startsIn(NOW - 1, NOW)).toBe("now");
    const soon = { state: "booked" as const, startsAt: NOW + 30 * 60_000, endsAt: NOW + 60 * 60_000 };
    expect(isSoon(soon, NOW)).toBe(true);
    expect(isSoon({ ...soon, state: "cancelled" }, NOW)).toBe(false);
    expect(isSoon({ ...soon, startsAt: NOW + 2 * 3_600_000, endsAt: NOW + 3 * 3_600_000 }, NOW)).toBe(false);
    expect(stateWords({ state: "cancelled", closedBy: "doctor" }, "patient")).toBe("Cancelled by the doctor");
    expect(stateWords({ state: "cancelled", closedBy: "patient" }, "patient")).toBe("Cancelled by you");
    expect(stateWords({ state: "moved" }, "doctor")).toBe("Moved to another time");
  });
});
