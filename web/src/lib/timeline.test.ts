import { describe, expect, it } from "vitest";
import { ALL_RECORDS, categoriesIn, filterRecords, foldText, groupByDay, type TimelineRecord } from "./timeline";
import { categoryLabel, kindOf } from "./record-kinds";

const record = (id: string, title: string, createdAt: string, extra: Partial<TimelineRecord> = {}): TimelineRecord => ({
  id,
  title,
  createdAt,
  mediaType: "application/pdf",
  size: 100,
  ...extra,
});

const records = [
  record("a", "Blood panel", "2026-03-02T10:00:00Z", { category: "11502-2", mediaType: "text/csv", size: 300 }),
  record("b", "Röntgen Thorax", "2026-03-02T08:00:00Z", { category: "18748-4", mediaType: "image/png", size: 50 }),
  record("c", "Discharge letter", "2026-01-15T12:00:00Z"),
];

describe("records timeline", () => {
  it("searches titles and category labels, ignoring case and accents, every word", () => {
    expect(filterRecords(records, { ...ALL_RECORDS, search: "rontgen" }).map((r) => r.id)).toEqual(["b"]);
    expect(filterRecords(records, { ...ALL_RECORDS, search: "LABORATORY blood" }).map((r) => r.id)).toEqual(["a"]);
    expect(filterRecords(records, { ...ALL_RECORDS, search: "blood xray" })).toEqual([]);
    expect(foldText("Ärztin")).toBe("arztin");
  });

  it("filters by category (or none) and by kind", () => {
    expect(filterRecords(records, { ...ALL_RECORDS, category: "18748-4" }).map((r) => r.id)).toEqual(["b"]);
    expect(filterRecords(records, { ...ALL_RECORDS, category: "none" }).map((r) => r.id)).toEqual(["c"]);
    expect(filterRecords(records, { ...ALL_RECORDS, kind: "table" }).map((r) => r.id)).toEqual(["a"]);
  });

  it("sorts by date either way, by title and by size, without changing its input", () => {
    expect(filterRecords(records, ALL_RECORDS).map((r) => r.id)).toEqual(["a", "b", "c"]);
    expect(filterRecords(records, { ...ALL_RECORDS, sort: "oldest" }).map((r) => r.id)).toEqual(["c", "b", "a"]);
    expect(filterRecords(records, { ...ALL_RECORDS, sort: "title" }).map((r) => r.id)).toEqual(["a", "c", "b"]);
    expect(filterRecords(records, { ...ALL_RECORDS, sort: "size" }).map((r) => r.id)).toEqual(["a", "c", "b"]);
    expect(records.map((r) => r.id)).toEqual(["a", "b", "c"]);
  });

  it("groups a date-sorted list by day, and anything else into one group", () => {
    const byDay = groupByDay(filterRecords(records, ALL_RECORDS), "newest");
    expect(byDay.map((g) => [g.day, g.records.length])).toEqual([["2026-03-02", 2], ["2026-01-15", 1]]);
    expect(groupByDay(records, "title").map((g) => g.day)).toEqual([""]);
    expect(groupByDay([], "title")).toEqual([]);
  });

  it("lists the categories present, by label, and names unknown codes as they are", () => {
    expect(categoriesIn(records).map((c) => c.label)).toEqual(["Imaging report", "Laboratory report"]);
    expect(categoryLabel("x-custom")).toBe("x-custom");
    expect(categoryLabel(undefined)).toBe("Uncategorized");
  });

  it("tells the kinds of record the viewer shows apart", () => {
    expect(kindOf("application/pdf")).toBe("pdf");
    expect(kindOf("image/svg+xml")).toBe("image");
    expect(kindOf("text/csv; charset=utf-8")).toBe("table");
    expect(kindOf("application/fhir+json")).toBe("json");
    expect(kindOf("text/html")).toBe("html");
    expect(kindOf("text/plain")).toBe("text");
    expect(kindOf("application/octet-stream")).toBe("other");
  });
});
