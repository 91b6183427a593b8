// Why a value in a form is refused, in a sentence shown next to its field (null: accepted).
import { MAX_TITLE_LENGTH } from "@openchart/sdk/vault";

export const MAX_SHARE_DAYS = 365;

/** A share's length in days, as an `<input type="number">` binds it (null when empty or not a number). */
export function shareDaysProblem(days: number | null | undefined): string | null {
  if (days === null || days === undefined || Number.isNaN(days)) return `Enter a number of days, from 1 to ${MAX_SHARE_DAYS}.`;
  if (!Number.isInteger(days)) return `Enter whole days, from 1 to ${MAX_SHARE_DAYS}.`;
  if (days < 1) return "A share lasts at least 1 day.";
  if (days > MAX_SHARE_DAYS) return `A share lasts at most ${MAX_SHARE_DAYS} days (a year); you can share again when it ends.`;
  return null;
}

/** The file chosen for upload. */
export function uploadFileProblem(file: { size: number } | null): string | null {
  if (file && file.size === 0) return "This file is empty (0 bytes): there is nothing to store. Choose another file.";
  return null;
}

/** The title a record is found by (checked again by the sdk). */
export function titleProblem(title: string): string | null {
  const trimmed = title.trim();
  if (!trimmed) return "Give the record a title: it is how you will find it (the file name is never used).";
  if (trimmed.length > MAX_TITLE_LENGTH) return `A title has at most ${MAX_TITLE_LENGTH} characters.`;
  return null;
}
