import { NER_TAGS, tagFeatures, tokenFeatures, tokenize, type RuleSpan } from "./ner-features.js";
import { addScores, type TaggerWeights } from "./ner.js";
import type { SpanGroup } from "./span-classes.js";

/**
 * Training of the recognizer of ./ner.ts: an averaged perceptron (Collins 2002), greedy left to right as it
 * tags. No maintained npm learner fits: the ones that tag sequences are native bindings (crfsuite), which the
 * browser cannot load, and the pure-JS ones are dense (ml-logistic-regression), where these features are
 * a few hundred thousand sparse strings. Training is deterministic: the order of the texts is shuffled by a
 * seeded generator, and the same texts give the same weights byte for byte.
 */

export interface TrainingText {
  text: string;
  spanish: boolean;
  spans: readonly { start: number; end: number; group: SpanGroup }[];
  /** The rules' spans of the text (./find.ts ruleSpans): features, as when the model tags a new text. */
  rules?: readonly RuleSpan[];
}

/** The gold tag index of each token: B- on a span's first token, I- on the rest, O elsewhere. */
export function goldTags(tokens: readonly { start: number; end: number }[], spans: TrainingText["spans"]): number[] {
  let lastSpan: unknown;
  return tokens.map((token) => {
    const span = spans.find((s) => token.start < s.end && token.end > s.start);
    if (!span) {
      lastSpan = undefined;
      return 0;
    }
    const tag = `${span === lastSpan ? "I" : "B"}-${span.group}`;
    lastSpan = span;
    return NER_TAGS.indexOf(tag as (typeof NER_TAGS)[number]);
  });
}

/** mulberry32: a small seeded generator, so a shuffle is the same on every machine. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TrainOptions {
  epochs?: number;
  seed?: number;
  /**
   * The share of the rules' spans hidden from each training text. The rules were written reading these texts and
   * find nearly all of their identifiers, so a model shown every rule span learns that what the rules leave is
   * never an identifier, and adds nothing on new text; hiding some teaches it to find what the rules miss.
   */
  ruleDropout?: number;
}

export function trainTagger(texts: readonly TrainingText[], options: TrainOptions = {}): TaggerWeights {
  const epochs = options.epochs ?? 8;
  const random = seeded(options.seed ?? 19);
  const dropRandom = seeded((options.seed ?? 19) + 1);
  const dropout = options.ruleDropout ?? 0;
  // Features are computed once: they do not depend on the weights (the tag features are added per step).
  const prepared = texts.map((t) => {
    const tokens = tokenize(t.text);
    const rules = (t.rules ?? []).filter(() => dropRandom() >= dropout);
    return { features: tokenFeatures(t.text, tokens, t.spanish, rules), gold: goldTags(tokens, t.spans) };
  });
  const n = NER_TAGS.length;
  const weights: TaggerWeights = new Map();
  // For averaging: each weight's running total and the step it was last brought up to date at.
  const totals = new Map<string, Float64Array>();
  const stamps = new Map<string, Float64Array>();
  let step = 0;
  const update = (feature: string, tag: number, delta: number) => {
    let w = weights.get(feature);
    if (!w) {
      w = new Float64Array(n);
      weights.set(feature, w);
      totals.set(feature, new Float64Array(n));
      stamps.set(feature, new Float64Array(n));
    }
    const total = totals.get(feature)!;
    const stamp = stamps.get(feature)!;
    total[tag]! += (step - stamp[tag]!) * w[tag]!;
    stamp[tag] = step;
    w[tag]! += delta;
  };
  const order = prepared.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const index of order) {
      const { features, gold } = prepared[index]!;
      const tags: number[] = [];
      for (let k = 0; k < features.length; k++) {
        const all = [...features[k]!, ...tagFeatures(k > 0 ? NER_TAGS[tags[k - 1]!]! : "^", k > 1 ? NER_TAGS[tags[k - 2]!]! : "^", features[k]![2]!)];
        const scores = addScores(new Float64Array(n), weights, all);
        let guess = 0;
        for (let t = 1; t < n; t++) if (scores[t]! > scores[guess]!) guess = t;
        step++;
        if (guess !== gold[k]) {
          for (const feature of all) {
            update(feature, gold[k]!, 1);
            update(feature, guess, -1);
          }
        }
        // The tags the next tokens see are the ones it guessed, as when it tags a new text.
        tags.push(guess);
      }
    }
  }
  const averaged: TaggerWeights = new Map();
  for (const [feature, w] of weights) {
    const total = totals.get(feature)!;
    const stamp = stamps.get(feature)!;
    averaged.set(feature, w.map((value, t) => (total[t]! + (step - stamp[t]!) * value) / step));
  }
  return averaged;
}

/**
 * The weights as ./ner.ts parses them, in whole tenths so the file stays small: a weight of fewer than `minTenths`
 * tenths is dropped (the many features seen once weigh little), and so is a feature left with none. Sorted, so
 * the output is stable.
 */
export function serializeWeights(weights: TaggerWeights, minTenths = 1): string {
  const lines: string[] = [];
  for (const feature of [...weights.keys()].sort()) {
    const pairs: string[] = [];
    weights.get(feature)!.forEach((value, t) => {
      const rounded = Math.round(value * 10);
      if (Math.abs(rounded) >= minTenths) pairs.push(`${t}:${rounded}`);
    });
    if (pairs.length > 0) lines.push(`${feature}\t${pairs.join(",")}`);
  }
  return lines.join("\n");
}
