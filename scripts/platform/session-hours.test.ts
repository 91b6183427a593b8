import { describe, expect, it } from "vitest";
import { PlatformError } from "./ports";
import { sessionHoursOf } from "./session-hours";

describe("OPENCHART_SESSION_HOURS", () => {
  it("defaults to 24 hours and takes 1 to 168", () => {
    expect(sessionHoursOf(undefined)).toBe(24);
    expect(sessionHoursOf("")).toBe(24);
    expect(sessionHoursOf("8")).toBe(8);
    expect(sessionHoursOf("168")).toBe(168);
  });

  it("refuses what the API would refuse, or what is not a whole number of hours", () => {
    for (const bad of ["0", "169", "1.5", "a day"]) {
      expect(() => sessionHoursOf(bad)).toThrow(new PlatformError(`OPENCHART_SESSION_HOURS must be a whole number of hours from 1 to 168, got "${bad}"`));
    }
  });
});
