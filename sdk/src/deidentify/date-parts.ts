import type { FoundSpan } from "./detector.js";

/** A date's parts as read (any may be missing: "March 3", "2019"); shifted, never sent as read. */
export interface DateParts {
  year?: number;
  month?: number;
  day?: number;
}

/** A date found, with its parts when they could be read. */
export interface DateSpan extends FoundSpan {
  parts?: DateParts;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
  ene: 1, abr: 4, ago: 8, dic: 12, set: 9,
};

/** A month's number from its English or Spanish name, whole or short ("Sept.", "setiembre", "ene"). */
export const monthOf = (name: string): number | undefined => MONTHS[name.toLowerCase().slice(0, 3)];

/** A year as written: four digits as they are; two ("25", "'89") in the last hundred years, this one included. */
export function fullYear(written: string): number {
  const year = Number(written);
  if (written.length === 4) return year;
  return 2000 + year > new Date().getFullYear() ? 1900 + year : 2000 + year;
}
