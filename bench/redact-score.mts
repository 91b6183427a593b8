// The labeled de-identification corpus (bench/redact-corpus/*.jsonl) and how a de-identifier is scored on it.
// Each line is {id, lang, split, text}; in `text`, every identifier is marked `{{CLASS:value}}` with a class of
// the sdk's SPAN_CLASSES. The markup is removed before the de-identifier sees the text.
import fs from "node:fs";
import path from "node:path";
import { groupOf, isSpanClass, SPAN_GROUPS, type Span, type SpanClass, type SpanGroup } from "../sdk/dist/deidentify/index.js";

export interface CorpusText {
  id: string;
  kind: string;
  lang: string;
  split: "dev" | "heldout";
  /** The corpus folder it came from: "" for the first rounds, "round2", "round3"... for texts written by someone who never saw the rules. */
  round: string;
  text: string;
  gold: Span[];
}

const MARK = /\{\{([A-Z]+):([^}]*)\}\}/g;

export const CORPUS_DIR = path.resolve(import.meta.dirname, "redact-corpus");

/**
 * The rounds free to learn from (rules, features, training): the first (top-level files) and round2/ to round5/
 * (round4/ and round5/ each held out until read on 2026-12-07, now training data). A later round is a test set: bench/redact-dev.mts and
 * bench/train-ner.mts never open it.
 */
export const DEV_ROUNDS = ["", "round2", "round3", "round4", "round5"] as const;

export function readCorpus(dir = CORPUS_DIR): CorpusText[] {
  const texts: CorpusText[] = [];
  const rounds = ["", ...fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()];
  for (const round of rounds) {
    texts.push(...readRound(path.join(dir, round), round));
  }
  return texts;
}

/** One folder's texts: `round` is "" for the top-level (first-round) files. */
export function readRound(dir: string, round: string): CorpusText[] {
  const texts: CorpusText[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort()) {
    for (const line of fs.readFileSync(path.join(dir, file), "utf8").split("\n").filter(Boolean)) {
      const entry = JSON.parse(line) as { id: string; lang: string; split: "dev" | "heldout"; text: string };
      let text = "";
      let from = 0;
      const gold: Span[] = [];
      for (const mark of entry.text.matchAll(MARK)) {
        const [whole, spanClass, value] = mark as unknown as [string, string, string];
        if (!isSpanClass(spanClass)) throw new Error(`${entry.id}: unknown class ${spanClass}`);
        text += entry.text.slice(from, mark.index);
        gold.push({ start: text.length, end: text.length + value.length, class: spanClass, value });
        text += value;
        from = mark.index + whole.length;
      }
      texts.push({ ...entry, kind: file.replace(/\.jsonl$/, ""), round, text: text + entry.text.slice(from), gold });
    }
  }
  return texts;
}

export interface Score {
  texts: number;
  gold: Record<SpanGroup, number>;
  found: Record<SpanGroup, number>;
  predicted: number;
  correct: number;
  /** Predicted spans that touch no labeled identifier, with their text: what the model lost. */
  falsePositives: { id: string; class: SpanClass; value: string }[];
  /** Labeled identifiers left in the text. */
  missed: { id: string; class: SpanClass; value: string }[];
}

const emptyGroups = (): Record<SpanGroup, number> => Object.fromEntries(SPAN_GROUPS.map((g) => [g, 0])) as Record<SpanGroup, number>;

/**
 * A labeled identifier counts as removed only if every letter and digit of it lies inside some
 * predicted span (of any class: what matters is that it does not leave). A predicted span is correct if
 * it overlaps a labeled identifier.
 */
export function score(texts: readonly CorpusText[], find: (text: string) => readonly Span[]): Score {
  const result: Score = { texts: texts.length, gold: emptyGroups(), found: emptyGroups(), predicted: 0, correct: 0, falsePositives: [], missed: [] };
  for (const entry of texts) {
    const predicted = find(entry.text);
    const covered = new Uint8Array(entry.text.length);
    for (const span of predicted) covered.fill(1, span.start, span.end);
    for (const gold of entry.gold) {
      const group = groupOf(gold.class);
      result.gold[group]++;
      let removed = true;
      for (let i = gold.start; i < gold.end; i++) if (/[\p{L}\p{N}]/u.test(entry.text[i]!) && !covered[i]) removed = false;
      if (removed) result.found[group]++;
      else result.missed.push({ id: entry.id, class: gold.class, value: gold.value });
    }
    for (const span of predicted) {
      result.predicted++;
      if (entry.gold.some((gold) => span.start < gold.end && span.end > gold.start)) result.correct++;
      else result.falsePositives.push({ id: entry.id, class: span.class, value: entry.text.slice(span.start, span.end) });
    }
  }
  return result;
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);

/** The figures the issue asks for, from one score; `suffix` names a subset ("_heldout"). */
export function figuresOf(s: Score, suffix = ""): Record<string, number> {
  const recall = (g: SpanGroup) => ratio(s.found[g], s.gold[g]);
  return {
    [`recallNames${suffix}`]: recall("names"),
    [`recallDates${suffix}`]: recall("dates"),
    [`recallIdentifiers${suffix}`]: recall("identifiers"),
    [`recallContacts${suffix}`]: recall("contacts"),
    [`recallLocations${suffix}`]: recall("locations"),
    [`precision${suffix}`]: ratio(s.correct, s.predicted),
  };
}

const TABLE_GROUPS = ["Names", "Dates", "Identifiers", "Contacts", "Locations"];

/** The header of the table both de-identification benches print: recall per group, then precision. */
export const roundTableHeader = (): string => `round     de-identifier   ${TABLE_GROUPS.map((g) => g.padEnd(12)).join("")}precision`;

/** One row of that table: a round ("" is the first) scored with one de-identifier. */
export function roundTableRow(round: string, label: string, s: Score): string {
  const figures = figuresOf(s);
  return `${(round || "round1").padEnd(10)}${label.padEnd(16)}${TABLE_GROUPS.map((g) => figures[`recall${g}`]!.toFixed(3).padEnd(12)).join("")}${figures.precision!.toFixed(3)}`;
}
