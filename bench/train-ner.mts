// `npm run train:ner`: trains the de-identifier's recognizer (sdk/src/deidentify/ner.ts) and writes its weights to
// sdk/src/deidentify/ner-weights-data.ts. It trains ONLY on the rounds free to learn from: the first
// (bench/redact-corpus/*.jsonl), round2/ and round3/ (round 3 was a test set once, 2026-12-07, and is now training
// data); round4/ is the held-out test set and is never read here. The threshold on a span's margin is chosen by
// 5-fold cross-validation on rounds 2 and 3 (train on round 1 and four fifths of the later rounds, score rules +
// model on the fifth left out), so nothing of the test round decides it. Run after `npm run build` (it uses the built sdk).
import fs from "node:fs";
import path from "node:path";
import { findIdentifierSpans, groupOf, looksSpanish, SPAN_GROUPS } from "../sdk/dist/deidentify/index.js";
import { modelSpans, parseWeights } from "../sdk/dist/deidentify/ner.js";
import { serializeWeights, trainTagger, type TrainingText } from "../sdk/dist/deidentify/ner-train.js";
import { CORPUS_DIR, DEV_ROUNDS, readRound, score, type CorpusText, type Score } from "./redact-score.mts";

const OUT = path.resolve(import.meta.dirname, "../sdk/src/deidentify/ner-weights-data.ts");
const FOLDS = 5;
const EPOCHS = Number(process.env.NER_EPOCHS ?? 14);
/** Weights under this many tenths are dropped from the shipped file (it stays a few hundred KB). */
const MIN_TENTHS = Number(process.env.NER_MIN_TENTHS ?? 15);
const THRESHOLDS = [-Infinity, 0, 2, 4, 6, 8, 10, 15, 20, 30, 40, Infinity];
/** A labeled identifier left in the text costs twice a word redacted for nothing: the choice leans to recall. */
const FALSE_POSITIVE_COST = 0.5;

const toTraining = (t: CorpusText): TrainingText => ({ text: t.text, spanish: looksSpanish(t.text), spans: t.gold.map((g) => ({ start: g.start, end: g.end, group: groupOf(g.class) })) });

const [first, ...later] = DEV_ROUNDS;
const round1 = readRound(path.join(CORPUS_DIR, first), first);
// Rounds 2 and 3 together: written by people who never saw the rules, so folds of them are the nearest thing to new text.
const laterRounds = later.flatMap((round) => readRound(path.join(CORPUS_DIR, round), round));
console.log(`training texts: round 1 ${round1.length}, rounds 2-3 ${laterRounds.length}`);

if (process.argv.includes("--model-alone")) {
  // The model alone, 5-fold over every training text: how well its features generalise, with no rule to hide
  // behind (the rules were fitted to these texts, so rules + model understates what the model adds on new text).
  const all = [...round1, ...laterRounds];
  const found: Record<string, [number, number]> = {};
  let predicted = 0;
  let correct = 0;
  for (let fold = 0; fold < FOLDS; fold++) {
    const weights = parseWeights(serializeWeights(trainTagger(all.filter((_, i) => i % FOLDS !== fold).map(toTraining), { epochs: EPOCHS }), MIN_TENTHS));
    const s = score(all.filter((_, i) => i % FOLDS === fold), (text) => modelSpans(text, looksSpanish(text), { weights, threshold: -Infinity }));
    for (const g of SPAN_GROUPS) found[g] = [(found[g]?.[0] ?? 0) + s.found[g], (found[g]?.[1] ?? 0) + s.gold[g]];
    predicted += s.predicted;
    correct += s.correct;
  }
  console.log(`model alone: ${SPAN_GROUPS.map((g) => `${g} ${(found[g]![0] / found[g]![1]).toFixed(3)}`).join(", ")}, precision ${(correct / predicted).toFixed(3)}`);
  process.exit(0);
}

const totals = THRESHOLDS.map(() => ({ missed: 0, falsePositives: 0, gold: 0, found: 0, predicted: 0, correct: 0, byGroup: {} as Record<string, [number, number]> }));
const add = (into: (typeof totals)[number], s: Score) => {
  into.missed += s.missed.length;
  into.falsePositives += s.falsePositives.length;
  into.predicted += s.predicted;
  into.correct += s.correct;
  for (const g of SPAN_GROUPS) {
    const [found, gold] = into.byGroup[g] ?? [0, 0];
    into.byGroup[g] = [found + s.found[g], gold + s.gold[g]];
  }
};
for (let fold = 0; fold < FOLDS; fold++) {
  const heldOut = laterRounds.filter((_, i) => i % FOLDS === fold);
  const train = [...round1, ...laterRounds.filter((_, i) => i % FOLDS !== fold)].map(toTraining);
  const started = performance.now();
  // Through the same serialization as the shipped file, so pruning is part of what is measured.
  const weights = parseWeights(serializeWeights(trainTagger(train, { epochs: EPOCHS }), MIN_TENTHS));
  THRESHOLDS.forEach((threshold, k) => {
    const model = threshold === Infinity ? false : { weights, threshold };
    add(totals[k]!, score(heldOut, (text) => findIdentifierSpans(text, {}, [], { model })));
  });
  if (process.env.NER_DEBUG) {
    // Rounds 2-3 are training data: their misses may be read while developing features (round 4's may not).
    const alone = score(heldOut, (text) => modelSpans(text, looksSpanish(text), { weights, threshold: -Infinity }));
    for (const m of alone.missed) console.log(`model missed ${m.id} ${m.class} ${JSON.stringify(m.value)}`);
    const both = score(heldOut, (text) => findIdentifierSpans(text, {}, [], { model: { weights, threshold: -Infinity } }));
    for (const m of both.missed) console.log(`both missed ${m.id} ${m.class} ${JSON.stringify(m.value)}`);
    for (const m of both.falsePositives) console.log(`both extra ${m.id} ${m.class} ${JSON.stringify(m.value)}`);
    console.log(JSON.stringify(alone.found), JSON.stringify(alone.gold), alone.correct / alone.predicted);
  }
  console.log(`fold ${fold + 1}/${FOLDS}: ${heldOut.length} held out, trained in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
const cost = (t: (typeof totals)[number]) => t.missed + FALSE_POSITIVE_COST * t.falsePositives;
console.log("threshold  missed  falsePos  precision  " + SPAN_GROUPS.map((g) => g.padEnd(11)).join(" "));
for (const [k, t] of totals.entries()) {
  const recalls = SPAN_GROUPS.map((g) => (t.byGroup[g]![0] / Math.max(1, t.byGroup[g]![1])).toFixed(3).padEnd(11)).join(" ");
  console.log(`${String(THRESHOLDS[k] === Infinity ? "rules" : THRESHOLDS[k]).padEnd(10)} ${String(t.missed).padEnd(7)} ${String(t.falsePositives).padEnd(9)} ${(t.correct / t.predicted).toFixed(3).padEnd(10)} ${recalls}`);
}
// The lowest cost among thresholds that keep precision at 0.85 or more; ties go to the higher threshold.
let chosen = THRESHOLDS.length - 1;
for (let k = THRESHOLDS.length - 1; k >= 0; k--) {
  const t = totals[k]!;
  if (t.correct / t.predicted >= 0.85 && cost(t) < cost(totals[chosen]!)) chosen = k;
}
const threshold = THRESHOLDS[chosen]!;
console.log(`chosen threshold: ${threshold}`);

const started = performance.now();
const serialized = serializeWeights(trainTagger([...round1, ...laterRounds].map(toTraining), { epochs: EPOCHS }), MIN_TENTHS);
console.log(`final model: ${serialized.split("\n").length} features, ${(serialized.length / 1024).toFixed(0)} KB, trained in ${((performance.now() - started) / 1000).toFixed(1)} s`);
fs.writeFileSync(
  OUT,
  `// Generated by \`npm run train:ner\` (bench/train-ner.mts) from bench/redact-corpus/*.jsonl, round2/ and round3/; do not edit.\n` +
    `// One feature a line: the feature, a tab, then tag:weight pairs (weights in tenths; tags index NER_TAGS).\n` +
    `/** The margin over O a span's weakest token needs, chosen by ${FOLDS}-fold cross-validation on rounds 2-3. */\n` +
    `export const NER_THRESHOLD = ${threshold === Infinity ? "Infinity" : threshold === -Infinity ? "-Infinity" : threshold};\n` +
    `export const NER_WEIGHTS = ${JSON.stringify(serialized)};\n`,
);
