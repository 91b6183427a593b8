import { describe, expect, it } from "vitest";
import { downloadName, formatBytes, formatDuration, formatTime, percent, shortHex } from "./format";

describe("formatting", () => {
  it("shows sizes in decimal units", () => {
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(999)).toBe("999 bytes");
    expect(formatBytes(1500)).toBe("1.5 kB");
    expect(formatBytes(20_000_000)).toBe("20 MB");
    expect(formatBytes(-1)).toBe("unknown size");
  });

  it("clamps progress to whole percents", () => {
    expect(percent(5, 10)).toBe(50);
    expect(percent(11, 10)).toBe(100);
    expect(percent(3, undefined)).toBe(0);
    expect(percent(1, 3)).toBe(33);
  });

  it("formats times from ISO strings, seconds and milliseconds alike", () => {
    expect(formatTime("2026-11-24T01:02:03Z")).toBe("2026-11-24 01:02 UTC");
    expect(formatTime(1_795_488_123)).toBe(formatTime(1_795_488_123_000));
    expect(formatTime("not a date")).toBe("unknown time");
  });

  it("shortens hashes and cleans file names", () => {
    expect(shortHex("0x" + "ab".repeat(32))).toBe("0xabab…abab");
    expect(shortHex("0x1234")).toBe("0x1234");
    expect(downloadName('lab: "blood"/2026')).toBe("lab_ _blood_2026");
    expect(downloadName("///")).toBe("_");
    expect(downloadName("  ")).toBe("record");
    expect(downloadName("a\u0000b\nc")).toBe("a_b_c");
  });

  it("says a span of time in its two largest units", () => {
    expect(formatDuration(72 * 3_600_000)).toBe("3 days");
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000 + 59_000)).toBe("2 days 3 hours");
    expect(formatDuration(86_400_000 + 5 * 60_000)).toBe("1 day");
    expect(formatDuration(3_600_000 + 60_000)).toBe("1 hour 1 minute");
    expect(formatDuration(5 * 60_000 + 30_000)).toBe("5 minutes");
    expect(formatDuration(59_999)).toBe("less than a minute");
    expect(formatDuration(-5)).toBe("less than a minute");
  });
});
