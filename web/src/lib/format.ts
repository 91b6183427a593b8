// Small formatting rules shared by the views, kept pure so they are unit-tested.

export { formatBytes } from "@openchart/sdk";

/** Whole percent of `done` over `total`, clamped to 0..100; 0 when the total is unknown. */
export function percent(done: number, total: number | undefined): number {
  if (!total || total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.floor((done / total) * 100)));
}

/** "2026-11-24 01:02 UTC" from an ISO date or seconds/milliseconds since the epoch. */
export function formatTime(value: string | number): string {
  const ms = typeof value === "number" ? (value < 1e12 ? value * 1000 : value) : Date.parse(value);
  if (!Number.isFinite(ms)) return "unknown time";
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "0x1234…cdef": a long hash or address shortened for a table cell (the full value goes in a title). */
export function shortHex(hex: string, keep = 6): string {
  return hex.length <= keep * 2 + 3 ? hex : `${hex.slice(0, keep)}…${hex.slice(-4)}`;
}

/** A file name safe to offer for download, from a record title. */
export function downloadName(title: string, fallback = "record"): string {
  const printable = [...title].map((c) => (c.charCodeAt(0) < 0x20 ? "_" : c)).join("");
  const cleaned = printable.replace(/[\\/:*?"<>|_]+/g, "_").trim();
  return cleaned || fallback;
}

/**
 * A span of time in words, to the two largest units: "2 days 3 hours", "5 minutes", "less than a minute".
 * For waiting periods: precise enough to plan by, short enough to read.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 60_000) return "less than a minute";
  const units: [string, number][] = [
    ["day", 86_400_000],
    ["hour", 3_600_000],
    ["minute", 60_000],
  ];
  const parts: string[] = [];
  let rest = ms;
  for (const [name, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count} ${name}${count === 1 ? "" : "s"}`);
    if (parts.length === 2) break;
  }
  return parts.filter((p) => !p.startsWith("0 ")).join(" ");
}
