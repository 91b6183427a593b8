// The records timeline: search over the decrypted titles, filters, sort and grouping by day, all in the
// browser (titles exist only there). Pure, so 1,000 records filter in well under a frame.
import { categoryLabel, kindOf, type RecordKind } from "./record-kinds";

export interface TimelineRecord {
  id: string;
  title: string;
  category?: string;
  mediaType: string;
  size: number;
  createdAt: string;
}

export type TimelineSort = "newest" | "oldest" | "title" | "size";

export interface TimelineQuery {
  search: string;
  /** A category code, "none" for uncategorized records, "" for all. */
  category: string;
  kind: RecordKind | "";
  sort: TimelineSort;
}

export const ALL_RECORDS: TimelineQuery = { search: "", category: "", kind: "", sort: "newest" };

/** Case and accents do not matter: "rontgen" finds "Röntgen". */
export function foldText(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

export function filterRecords<R extends TimelineRecord>(records: readonly R[], query: TimelineQuery): R[] {
  const words = foldText(query.search).split(/\s+/).filter(Boolean);
  const kept = records.filter((record) => {
    if (query.category === "none" ? record.category !== undefined : query.category && record.category !== query.category) return false;
    if (query.kind && kindOf(record.mediaType) !== query.kind) return false;
    if (words.length === 0) return true;
    const haystack = foldText(`${record.title} ${categoryLabel(record.category)}`);
    return words.every((word) => haystack.includes(word));
  });
  const order: Record<TimelineSort, (a: R, b: R) => number> = {
    newest: (a, b) => b.createdAt.localeCompare(a.createdAt),
    oldest: (a, b) => a.createdAt.localeCompare(b.createdAt),
    title: (a, b) => a.title.localeCompare(b.title, undefined, { sensitivity: "base", numeric: true }),
    size: (a, b) => b.size - a.size,
  };
  return kept.sort(order[query.sort]);
}

export interface TimelineGroup<R> {
  /** "2026-11-24", or "" when the list is not sorted by date. */
  day: string;
  records: R[];
}

/** Consecutive records of one UTC day share a group; a list sorted by title or size is one group. */
export function groupByDay<R extends TimelineRecord>(records: readonly R[], sort: TimelineSort): TimelineGroup<R>[] {
  if (sort !== "newest" && sort !== "oldest") return records.length ? [{ day: "", records: [...records] }] : [];
  const groups: TimelineGroup<R>[] = [];
  for (const record of records) {
    const day = record.createdAt.slice(0, 10);
    const last = groups.at(-1);
    if (last?.day === day) last.records.push(record);
    else groups.push({ day, records: [record] });
  }
  return groups;
}

/** The categories present in a list, for the filter (labels in alphabetical order). */
export function categoriesIn(records: readonly TimelineRecord[]): { code: string; label: string }[] {
  const codes = new Set(records.map((r) => r.category).filter((c): c is string => c !== undefined));
  return [...codes].map((code) => ({ code, label: categoryLabel(code) })).sort((a, b) => a.label.localeCompare(b.label));
}
