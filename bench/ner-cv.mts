// Leave-one-round-out cross-validation of the de-identifier's recognizer (sdk/src/deidentify/ner.ts): for each
// round of DEV_ROUNDS, a model trained on the other rounds, scored (rules + model) on that round at each threshold.
// Each round was written by someone who never saw the others, so a held-out round is the nearest thing to the next
// unseen one; the mean over rounds is the development figure (no single round is tuned to). The rules were fitted
// to rounds 1-3 by reading their misses, so the rules' part of those rounds' figures is optimistic; round 4's is not.
// Used by bench/train-ner.mts: `npx tsx bench/train-ner.mts --cv` prints the table, the plain run picks its threshold here.
import path from "node:path";
import { findIdentifierSpans, groupOf, looksSpanish, SPAN_GROUPS, type SpanGroup } from "../sdk/dist/deidentify/index.js";
import { ruleSpans } from "../sdk/dist/deidentify/find.js";
import { undoOcrSlips } from "../sdk/dist/deidentify/ocr.js";
import { parseWeights } from "../sdk/dist/deidentify/ner.js";
import { serializeWeights, trainTagger, type TrainingText } from "../sdk/dist/deidentify/ner-train.js";
import { CORPUS_DIR, DEV_ROUNDS, readRound, score, type CorpusText, type Score } from "./redact-score.mts";

export const EPOCHS = Number(process.env.NER_EPOCHS ?? 14);
/** Weights under this many tenths are dropped from the shipped file (it stays a few hundred KB). */
export const MIN_TENTHS = Number(process.env.NER_MIN_TENTHS ?? 15);
/** The share of the rules' spans hidden from each training text (see TrainOptions.ruleDropout). */
export const RULE_DROPOUT = Number(process.env.NER_RULE_DROPOUT ?? 0.7);
/** Overrides the shipped LOWER_CASE_MARGIN while cross-validating (NER_LOWER_CASE=Infinity: only the lists' words). */
const LOWER_CASE = process.env.NER_LOWER_CASE === undefined ? undefined : Number(process.env.NER_LOWER_CASE);
/** Infinity is the rules alone. */
export const THRESHOLDS = [-Infinity, 0, 2, 4, 6, 8, 10, 15, 20, 30, Infinity];

// The recognizer reads the text with its OCR slips undone, as findIdentifierSpans gives it (same length, same offsets).
export const toTraining = (t: CorpusText): TrainingText => ({
  text: undoOcrSlips(t.text),
  spanish: looksSpanish(t.text),
  spans: t.gold.map((g) => ({ start: g.start, end: g.end, group: groupOf(g.class) })),
  rules: ruleSpans(t.text),
});

export const readDevRounds = (): Map<string, CorpusText[]> => new Map(DEV_ROUNDS.map((round) => [round, readRound(path.join(CORPUS_DIR, round), round)]));

/** The figures of one score: recall per group, precision, and the counts the threshold's cost is made of. */
export interface Figures {
  recall: Record<SpanGroup, number>;
  precision: number;
  missed: number;
  falsePositives: number;
}

export const figures = (s: Score): Figures => ({
  recall: Object.fromEntries(SPAN_GROUPS.map((g) => [g, s.gold[g] === 0 ? 1 : s.found[g] / s.gold[g]])) as Record<SpanGroup, number>,
  precision: s.predicted === 0 ? 1 : s.correct / s.predicted,
  missed: s.missed.length,
  falsePositives: s.falsePositives.length,
});

/** The unweighted mean over rounds, so a round with many texts does not outweigh one with few. */
export function meanOf(all: readonly Figures[]): Figures {
  const avg = (f: (x: Figures) => number) => all.reduce((sum, x) => sum + f(x), 0) / all.length;
  return {
    recall: Object.fromEntries(SPAN_GROUPS.map((g) => [g, avg((x) => x.recall[g])])) as Record<SpanGroup, number>,
    precision: avg((x) => x.precision),
    missed: avg((x) => x.missed),
    falsePositives: avg((x) => x.falsePositives),
  };
}

/** For each held-out round, its figures at each of THRESHOLDS (same order). */
export function crossValidate(rounds: Map<string, CorpusText[]>, log = (line: string) => console.log(line)): Map<string, Figures[]> {
  const results = new Map<string, Figures[]>();
  for (const heldOut of rounds.keys()) {
    const started = performance.now();
    const train = [...rounds].filter(([round]) => round !== heldOut).flatMap(([, texts]) => texts.map(toTraining));
    // Through the same serialization as the shipped file, so pruning is part of what is measured.
    const weights = parseWeights(serializeWeights(trainTagger(train, { epochs: EPOCHS, ruleDropout: RULE_DROPOUT }), MIN_TENTHS));
    const texts = rounds.get(heldOut)!;
    results.set(
      heldOut,
      THRESHOLDS.map((threshold) => figures(score(texts, (text) => findIdentifierSpans(text, {}, [], { model: threshold === Infinity ? false : { weights, threshold, lowerCaseMargin: LOWER_CASE } })))),
    );
    if (process.env.NER_DEBUG) {
      // Every round is training data now: its errors may be read while developing features.
      const s = score(texts, (text) => findIdentifierSpans(text, {}, [], { model: { weights, threshold: Number(process.env.NER_DEBUG) } }));
      for (const m of s.missed) log(`missed ${m.id} ${m.class} ${JSON.stringify(m.value)}`);
      for (const f of s.falsePositives) log(`extra  ${f.id} ${f.class} ${JSON.stringify(f.value)}`);
    }
    log(`held out ${heldOut || "round1"}: trained on ${train.length} texts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return results;
}

const GROUP_ORDER: SpanGroup[] = ["names", "dates", "identifiers", "contacts", "locations"];

export const tableHeader = () => `held out  threshold  ${GROUP_ORDER.map((g) => g.padEnd(12)).join("")}precision  missed  extra`;

export const tableRow = (round: string, threshold: number, f: Figures) =>
  `${round.padEnd(10)}${String(threshold === Infinity ? "rules" : threshold).padEnd(11)}${GROUP_ORDER.map((g) => f.recall[g].toFixed(3).padEnd(12)).join("")}${f.precision.toFixed(3).padEnd(11)}${f.missed.toFixed(0).padEnd(8)}${f.falsePositives.toFixed(0)}`;

/** A labeled identifier left in the text costs twice a word redacted for nothing: the choice leans to recall. */
const FALSE_POSITIVE_COST = 0.5;

/** The lowest mean cost among thresholds whose mean precision is 0.85 or more; ties go to the higher threshold. */
export function chooseThreshold(results: Map<string, Figures[]>): number {
  const means = THRESHOLDS.map((_, k) => meanOf([...results.values()].map((r) => r[k]!)));
  const cost = (f: Figures) => f.missed + FALSE_POSITIVE_COST * f.falsePositives;
  let chosen = THRESHOLDS.length - 1;
  for (let k = THRESHOLDS.length - 1; k >= 0; k--) if (means[k]!.precision >= 0.85 && cost(means[k]!) < cost(means[chosen]!)) chosen = k;
  return THRESHOLDS[chosen]!;
}

/** The table: each held-out round at the rules alone and at `shown` thresholds, then the mean at every threshold. */
export function printTable(results: Map<string, Figures[]>, shown: readonly number[]): void {
  console.log(tableHeader());
  for (const [round, rows] of results) {
    for (const threshold of [Infinity, ...shown]) console.log(tableRow(round || "round1", threshold, rows[THRESHOLDS.indexOf(threshold)]!));
  }
  THRESHOLDS.forEach((threshold, k) => console.log(tableRow("mean", threshold, meanOf([...results.values()].map((r) => r[k]!)))));
}
