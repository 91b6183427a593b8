import type { Span, SpanClass } from "./span-classes.js";

/**
 * A pattern for one class. The span is the named group `v` when the pattern has one (a label such as
 * "MRN:" helps find the number but stays in the text), else the whole match.
 */
export interface Detector {
  class: SpanClass;
  pattern: RegExp;
  /** Rejects a candidate the pattern cannot tell apart from clinical content (a date, a dose...). */
  accept?(value: string, text: string, start: number): boolean;
  /** Wins over other detectors' overlapping spans (a labeled MRN over the phone rule). */
  priority?: number;
}

export interface FoundSpan extends Span {
  priority: number;
}

const withIndices = new WeakMap<RegExp, RegExp>();

/** The pattern with the `d` flag, so a named group's position is known. */
function indexed(pattern: RegExp): RegExp {
  let copy = withIndices.get(pattern);
  if (!copy) {
    copy = pattern.hasIndices ? pattern : new RegExp(pattern.source, `${pattern.flags}d`);
    withIndices.set(pattern, copy);
  }
  return copy;
}

export function runDetectors(text: string, detectors: readonly Detector[]): FoundSpan[] {
  const found: FoundSpan[] = [];
  for (const detector of detectors) {
    for (const hit of text.matchAll(indexed(detector.pattern))) {
      const range = hit.indices?.groups?.v ?? [hit.index, hit.index + hit[0].length];
      const [start] = range;
      const value = text.slice(start, range[1]);
      if (!value) continue;
      if (detector.accept && !detector.accept(value, text, start)) continue;
      found.push({ start, end: start + value.length, class: detector.class, value, priority: detector.priority ?? 0 });
    }
  }
  return found;
}

/** Letters of any script, digits, and the apostrophes and hyphens inside names. */
export const WORD = "[\\p{L}\\p{M}\\p{N}_]";
export const NOT_WORD_BEFORE = `(?<!${WORD})`;
export const NOT_WORD_AFTER = `(?!${WORD})`;

export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Each character with its accents removed, one UTF-16 unit for one, so offsets in the folded text are
 * offsets in the original ("González" matches "gonzalez").
 */
export function foldAccents(text: string): string {
  let out = "";
  for (const char of text) {
    const base = (char.normalize("NFD")[0] ?? char).toLowerCase();
    out += base.length === char.length ? base : char;
  }
  return out;
}

/**
 * The text in pieces of at most `size` characters, cut at line or sentence ends where possible: chrono and
 * compromise take time growing faster than the text on long runs ("1-1-1-...", ten thousand names in a
 * row); pieces keep it linear.
 */
export function* pieces(text: string, size = 1000): Generator<{ text: string; offset: number }> {
  for (let offset = 0; offset < text.length; ) {
    let end = Math.min(text.length, offset + size);
    if (end < text.length) {
      const window = text.slice(offset, end);
      const cut = Math.max(window.lastIndexOf("\n"), window.search(/[.!?]\s[^.!?]*$/) + 1);
      if (cut > size / 2) end = offset + cut;
    }
    yield { text: text.slice(offset, end), offset };
    offset = end;
  }
}
