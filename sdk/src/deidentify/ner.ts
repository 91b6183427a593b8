import nlp from "compromise";
import { ENGLISH_WORDS, isClinicalWord, SPANISH_WORDS } from "./clinical-terms.js";
import type { FoundSpan } from "./detector.js";
import { firstNameKind } from "./first-names.js";
import { isGazetteerPlace } from "./gazetteer.js";
import { NER_TAGS, tagFeatures, tokenFeatures, tokenize, type RuleSpan, type Token } from "./ner-features.js";
import { NER_THRESHOLD, NER_WEIGHTS } from "./ner-weights-data.js";
import type { SpanClass, SpanGroup } from "./span-classes.js";

/**
 * The trained recognizer beside the rules (issue 19): an averaged perceptron that tags each token B-/I- of an
 * identifier group or O, left to right, trained by bench/train-ner.mts on the rounds free to learn from (never the held-out one).
 * Hand-written rules generalise slowly to new formats; a tagger over word shapes, neighbours and the sdk's name
 * and place lists finds some of what they miss. It runs on the device, in the browser and in Node: its weights
 * are a string in ./ner-weights-data.ts, parsed on first use.
 */

/** Feature → weight of each tag (index into NER_TAGS); a feature no tag weighs is absent. */
export type TaggerWeights = Map<string, Float64Array>;

export interface TaggedSpan {
  start: number;
  end: number;
  group: SpanGroup;
  /** How far the weakest token's tag beat O: the span is taken only above the threshold chosen by cross-validation. */
  margin: number;
}

/** Adds each tag's weight for `features` to `scores`. */
export function addScores(scores: Float64Array, weights: TaggerWeights, features: readonly string[]): Float64Array {
  for (const feature of features) {
    const w = weights.get(feature);
    if (w) for (let t = 0; t < scores.length; t++) scores[t]! += w[t]!;
  }
  return scores;
}

/** Tags every token, greedily left to right (each tag sees the two before it); with each token's margin over O. */
export function tagTokens(weights: TaggerWeights, text: string, tokens: readonly Token[], spanish: boolean, rules: readonly RuleSpan[] = []): { tags: number[]; margins: number[] } {
  const features = tokenFeatures(text, tokens, spanish, rules);
  const tags: number[] = [];
  const margins: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const prev = i > 0 ? NER_TAGS[tags[i - 1]!]! : "^";
    const prev2 = i > 1 ? NER_TAGS[tags[i - 2]!]! : "^";
    const scores = addScores(addScores(new Float64Array(NER_TAGS.length), weights, features[i]!), weights, tagFeatures(prev, prev2, features[i]![2]!));
    let best = 0;
    for (let t = 1; t < scores.length; t++) if (scores[t]! > scores[best]!) best = t;
    tags.push(best);
    margins.push(scores[best]! - scores[0]!);
  }
  return { tags, margins };
}

/**
 * Runs of B-g I-g... as spans (an I without its B starts one too); a span's margin is its weakest token's. Given the
 * text, a line break ends a span: "ANATOMÍA PATOLÓGICA\nNº" is a heading and the next line's label, no one name.
 */
export function spansOfTags(tokens: readonly Token[], tags: readonly number[], margins: readonly number[], text?: string): TaggedSpan[] {
  const spans: TaggedSpan[] = [];
  let open: TaggedSpan | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const tag = NER_TAGS[tags[i]!]!;
    const [kind, group] = tag.split("-") as [string, SpanGroup | undefined];
    const sameLine = text === undefined || i === 0 || !text.slice(tokens[i - 1]!.end, tokens[i]!.start).includes("\n");
    if (group && kind === "I" && open?.group === group && sameLine) {
      open.end = tokens[i]!.end;
      open.margin = Math.min(open.margin, margins[i]!);
      continue;
    }
    if (open) spans.push(open);
    open = group ? { start: tokens[i]!.start, end: tokens[i]!.end, group, margin: margins[i]! } : undefined;
  }
  if (open) spans.push(open);
  return spans;
}

/** One line per feature, `feature\ttag:weight,...`, weights in tenths; the format ./ner-weights-data.ts holds. */
export function parseWeights(serialized: string): TaggerWeights {
  const weights: TaggerWeights = new Map();
  for (const line of serialized.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    const w = new Float64Array(NER_TAGS.length);
    for (const pair of line.slice(tab + 1).split(",")) {
      const [tag, value] = pair.split(":");
      w[Number(tag)] = Number(value) / 10;
    }
    weights.set(line.slice(0, tab), w);
  }
  return weights;
}

let shipped: TaggerWeights | undefined;

/** The shipped model, parsed on first use: nothing is built until a text is first de-identified. */
export const shippedWeights = (): TaggerWeights => (shipped ??= parseWeights(NER_WEIGHTS));

/** The span class a model span is sent as: the model tells groups apart, not the classes within one. */
const CLASS_OF_GROUP: Record<SpanGroup, SpanClass> = { names: "NAME", locations: "CITY", dates: "DATE", identifiers: "ID", contacts: "URL" };

/**
 * Contacts and dates are left to the rules: the patterns find every contact of the corpus, and the model's dates
 * took fractions, scores and doses ("power 4/5", "sat 94") that the date rules know to keep.
 */
const MODEL_GROUPS: ReadonlySet<SpanGroup> = new Set(["names", "locations", "identifiers"]);

/**
 * A name or place in lower case is taken only if the lists know each word ("raju", "swindon"): the model, seeing
 * lower-case names in messy texts, also took everyday words after a family word ("mi hijo mayor").
 */
function plausible(group: SpanGroup, words: readonly Token[], spanish: boolean, margin: number, lowerCaseMargin: number): boolean {
  if (group === "identifiers" || words.some((t) => /^\p{Lu}/u.test(t.text))) return true;
  if (words.length > 0 && words.every((t) => firstNameKind(t.text) === "plain" || isGazetteerPlace(t.text, spanish))) return true;
  // "wife priyanka", "tama here": a name no list has, in English text, when the model is sure and no English
  // dictionary knows the word (Spanish words are unknown to it too: there only the lists count).
  return !spanish && margin >= lowerCaseMargin && words.length > 0 && words.every((t) => unknownWord(t.text.toLowerCase()));
}

let lexicon: Record<string, unknown> | undefined;

/** A word of three letters or more that neither compromise's lexicon (with its -s, -es, -ed, -ing forms) nor the function-word lists know. */
function unknownWord(word: string): boolean {
  lexicon ??= (nlp as unknown as { model(): { one: { lexicon: Record<string, unknown> } } }).model().one.lexicon;
  if (!/^\p{L}{3,}$/u.test(word) || ENGLISH_WORDS.has(word) || SPANISH_WORDS.has(word)) return false;
  const stems = [word, word.replace(/(?:s|es|ed|ing|ly|er)$/, ""), word.replace(/(?:ed|ing)$/, "e"), word.replace(/ies$/, "y")];
  return !stems.some((stem) => Object.hasOwn(lexicon!, stem));
}

/**
 * "Renal", "Paediatric Neurology", "Medicina Interna", "Family Health Team": a span of a department's or a service's
 * words only is the service, not a place nor a person (round 4's extra spans had many).
 */
const SERVICE_WORDS =
  /^(?:mental|health|services?|team|care|unit|nursing|support|outreach|p(?:a)?ediatrics?|p(?:a)?ediatric|neurology|cardiology|oncology|haematology|hematology|renal|transplant|orthop(?:a)?edics?|psychiatry|radiology|pathology|surgery|medicine|internal|intensive|emergency|primary|community|family|midwife|midwifery|ward|department|dept|left|right|lower|upper|middle|bilateral|follow-up|review|referral|meeting|clinic|salud|servicio|equipo|atenci[oó]n|primaria|medicina|interna|urgencias|pediatr[ií]a|an[aá]lisis|anatom[ií]a|patol[oó]gica)$/i;

/** "Diagnosis: Pneumonia", "Dx: Bell Palsy": what follows a clinical field's label is the clinical content. */
const AFTER_CLINICAL_LABEL = /(?:^|[\n.;])[ \t]*(?:diagnosis|diagnoses|dx|impression|assessment|indication|reason for referral|findings|result|results|complaint|procedure|allergies|diagn[oó]stico|motivo|juicio cl[ií]nico)[ \t]*:[ \t]*$/i;

/** Well above the threshold: a lower-case word no list knows is taken only where the model is sure. */
export const LOWER_CASE_MARGIN = 20;

/** The model's spans lose to every rule's where they overlap (the lowest rule, a bare long number, is -1). */
export const MODEL_PRIORITY = -2;

export interface TaggerOptions {
  weights?: TaggerWeights;
  /** Spans whose margin is below this are dropped (default: the one chosen by cross-validation over the rounds). */
  threshold?: number;
  /** The margin a lower-case name or place no list knows needs (default LOWER_CASE_MARGIN). */
  lowerCaseMargin?: number;
  /** "all" keeps the model's dates and contacts too (to score the model alone); by default the rules' are enough. */
  groups?: "all";
}

/**
 * The model's identifiers in `text`, as candidates beside the rules' (priority below every rule, so a rule's
 * span and class win where both found something). `rules` are the rules' spans of the text (./find.ts ruleSpans),
 * which the model reads as features. A span of clinical words only is never taken.
 */
export function modelSpans(text: string, spanish: boolean, options: TaggerOptions = {}, rules: readonly RuleSpan[] = []): FoundSpan[] {
  const weights = options.weights ?? shippedWeights();
  const threshold = options.threshold ?? NER_THRESHOLD;
  const tokens = tokenize(text);
  const { tags, margins } = tagTokens(weights, text, tokens, spanish, rules);
  const found: FoundSpan[] = [];
  for (const span of spansOfTags(tokens, tags, margins, text)) {
    if (span.margin < threshold || (options.groups !== "all" && !MODEL_GROUPS.has(span.group))) continue;
    const value = text.slice(span.start, span.end);
    const words = tokens.filter((t) => t.start >= span.start && t.end <= span.end && /\p{L}/u.test(t.text));
    if (words.every((t) => SERVICE_WORDS.test(t.text)) || AFTER_CLINICAL_LABEL.test(text.slice(Math.max(0, span.start - 40), span.start))) continue;
    if (words.some((t) => isClinicalWord(t.text, text, t.start, t.end)) || !plausible(span.group, words, spanish, span.margin, options.lowerCaseMargin ?? LOWER_CASE_MARGIN)) continue;
    // Below every rule, phones (0) and long bare numbers (-1) too: a model span overlapping a rule's phone once won and
    // the phone, cut, was dropped (round 4's contacts fell 0.946 -> 0.919 with a retrained model; rounds 1-3 do not move).
    found.push({ start: span.start, end: span.end, class: CLASS_OF_GROUP[span.group], value, priority: MODEL_PRIORITY });
  }
  return found;
}
