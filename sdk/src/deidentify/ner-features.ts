import { ENGLISH_WORDS, isClinicalWord, SPANISH_WORDS } from "./clinical-terms.js";
import { TITLE } from "./cues.js";
import { firstNameKind } from "./first-names.js";
import { isGazetteerPlace } from "./gazetteer.js";
import type { SpanGroup } from "./span-classes.js";
import { isEnglishWord } from "./vocabulary.js";

/**
 * The trained recognizer's view of a text (issue 19): tokens, and for each token the features the averaged
 * perceptron (./ner.ts, ./ner-train.ts) weighs. Shared by training and tagging so both see the same thing.
 * Features describe the word's form (case, shape, affixes), its neighbours, and what the sdk's lists say of it
 * (first names, gazetteer towns, clinical vocabulary, function words): the lists generalise where words the
 * training texts never had ("Wierzbicki") cannot.
 */

export interface Token {
  start: number;
  end: number;
  text: string;
}

/** The groups the recognizer tags; each span is B-group then I-group tokens, everything else O. */
export const NER_GROUPS = ["names", "locations", "dates", "identifiers", "contacts"] as const satisfies readonly SpanGroup[];
export const NER_TAGS = ["O", ...NER_GROUPS.flatMap((g) => [`B-${g}`, `I-${g}`])] as const;
export type NerTag = (typeof NER_TAGS)[number];

/**
 * A word with the apostrophes, hyphens, dots and slashes inside it ("O'Brien", "Al-Rashid", "03/14/1962",
 * "192.168.4.17"), or one other character alone.
 */
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['’.\-/][\p{L}\p{M}\p{N}]+)*|\S/gu;

export function tokenize(text: string): Token[] {
  return [...text.matchAll(TOKEN)].map((hit) => ({ start: hit.index, end: hit.index + hit[0].length, text: hit[0] }));
}

/** "Maria" → "Xx", "03/14/1962" → "d/d/d", "MRN-0884" → "X-d": runs of one kind of character written once. */
export function shapeOf(word: string): string {
  let shape = "";
  for (const char of word) {
    const kind = /\p{Lu}/u.test(char) ? "X" : /\p{Ll}/u.test(char) ? "x" : /\p{N}/u.test(char) ? "d" : char;
    if (!shape.endsWith(kind)) shape += kind;
  }
  return shape;
}

const isWord = (token: Token | undefined) => token !== undefined && /[\p{L}\p{N}]/u.test(token.text);

/** What the lists say of one word: computed once per token, read by its neighbours too. */
interface Lexical {
  lower: string;
  shape: string;
  cap: boolean;
  firstName: string;
  place: boolean;
  clinical: boolean;
  common: boolean;
  title: boolean;
  /** A word of the English lists (./vocabulary.ts): one typed in lower case that no list has is often a name or a town. */
  english: boolean;
}

function lexicalOf(token: Token, text: string, spanish: boolean): Lexical {
  const lower = token.text.toLowerCase();
  const letters = /\p{L}/u.test(token.text);
  return {
    lower,
    shape: shapeOf(token.text),
    cap: /^\p{Lu}/u.test(token.text),
    firstName: letters ? (firstNameKind(lower) ?? "-") : "-",
    place: letters && lower.length > 2 && isGazetteerPlace(lower, spanish),
    clinical: letters && isClinicalWord(token.text, text, token.start, token.end),
    common: ENGLISH_WORDS.has(lower) || SPANISH_WORDS.has(lower),
    title: TITLE.test(lower),
    english: letters && isEnglishWord(lower),
  };
}

/** The nearest word before or after `i` (punctuation skipped): "Dr. Okafor" has "dr" before "okafor". */
function nearestWord(tokens: readonly Token[], i: number, step: -1 | 1): number {
  for (let j = i + step; j >= 0 && j < tokens.length; j += step) if (isWord(tokens[j])) return j;
  return -1;
}

/** A span the rules found, as the recognizer reads it: where, and the class the rules gave it. */
export interface RuleSpan {
  start: number;
  end: number;
  class: string;
}

/**
 * The rules' label of each token: "NAME", "B:DATE" for a span's first token... or "O". The recognizer sees where the
 * rules found something and learns where they are right, where a span runs on past them, and where they miss.
 */
export function ruleLabels(tokens: readonly Token[], rules: readonly RuleSpan[]): { label: string; first: boolean }[] {
  const sorted = [...rules].sort((a, b) => a.start - b.start);
  let k = 0;
  return tokens.map((token) => {
    while (k < sorted.length && sorted[k]!.end <= token.start) k++;
    const span = sorted[k];
    if (!span || span.start >= token.end) return { label: "O", first: false };
    return { label: span.class, first: span.start >= token.start };
  });
}

/** Features of every token that do not depend on the tags before it; `rules` are the rules' spans of the text. */
export function tokenFeatures(text: string, tokens: readonly Token[], spanish: boolean, rules: readonly RuleSpan[] = []): string[][] {
  const lex = tokens.map((t) => lexicalOf(t, text, spanish));
  const labels = ruleLabels(tokens, rules);
  const ruleAt = (j: number) => (j >= 0 && j < tokens.length ? labels[j]!.label : "^");
  const at = (j: number) => (j >= 0 && j < tokens.length ? lex[j]! : undefined);
  return tokens.map((token, i) => {
    const me = lex[i]!;
    const prevIndex = nearestWord(tokens, i, -1);
    const prevWord = at(prevIndex);
    // "moved to", "my son", "works at": the two words before, for the travel and family phrases one word does not tell.
    const prevWord2 = prevIndex >= 0 ? at(nearestWord(tokens, prevIndex, -1)) : undefined;
    const nextWord = at(nearestWord(tokens, i, 1));
    const before = text.slice(Math.max(0, token.start - 2), token.start);
    const lineStart = i === 0 || /\n/.test(text.slice(tokens[i - 1]!.end, token.start));
    const word = me.lower.length > 14 ? `${me.shape}~long` : me.lower;
    const rule = labels[i]!;
    const pwRule = ruleAt(nearestWord(tokens, i, -1));
    const nwRule = ruleAt(nearestWord(tokens, i, 1));
    const features = [
      "bias",
      `w=${word}`,
      `shape=${me.shape}`,
      `pre3=${me.lower.slice(0, 3)}`,
      `suf3=${me.lower.slice(-3)}`,
      `suf2=${me.lower.slice(-2)}`,
      `len=${Math.min(token.text.length, 12)}`,
      `cap=${me.cap}|common=${me.common}`,
      `fn=${me.firstName}|cap=${me.cap}`,
      `place=${me.place}|cap=${me.cap}`,
      `clin=${me.clinical}`,
      `english=${me.english}|cap=${me.cap}|clin=${me.clinical}|lang=${spanish ? "es" : "en"}`,
      `pwenglish=${prevWord?.english ?? "^"}|english=${me.english}|cap=${me.cap}`,
      `title=${me.title}`,
      `w-1=${at(i - 1)?.lower ?? "^"}`,
      `w+1=${at(i + 1)?.lower ?? "$"}`,
      `w-2=${at(i - 2)?.lower ?? "^"}`,
      `w+2=${at(i + 2)?.lower ?? "$"}`,
      `shape-1=${at(i - 1)?.shape ?? "^"}|shape=${me.shape}`,
      `shape+1=${at(i + 1)?.shape ?? "$"}|shape=${me.shape}`,
      `pw=${prevWord?.lower ?? "^"}`,
      `nw=${nextWord?.lower ?? "$"}`,
      `pw=${prevWord?.lower ?? "^"}|cap=${me.cap}`,
      `pw2=${prevWord2?.lower ?? "^"}|pw=${prevWord?.lower ?? "^"}|cap=${me.cap}`,
      `pw=${prevWord?.lower ?? "^"}|common=${me.common}|clin=${me.clinical}`,
      `pwtitle=${prevWord?.title ?? false}|cap=${me.cap}`,
      `pwfn=${prevWord?.firstName ?? "^"}|pwcap=${prevWord?.cap ?? false}|cap=${me.cap}`,
      `nwfn=${nextWord?.firstName ?? "$"}|nwcap=${nextWord?.cap ?? false}|cap=${me.cap}`,
      `nwplace=${nextWord?.place ?? false}`,
      `pwplace=${prevWord?.place ?? false}`,
      `nwclin=${nextWord?.clinical ?? false}`,
      `linestart=${lineStart}|shape=${me.shape}`,
      `afterColon=${/:\s*$/.test(before)}|shape=${me.shape}`,
      `lang=${spanish ? "es" : "en"}|cap=${me.cap}`,
      // What the rules said of this token and of the words beside it.
      `rule=${rule.label}|first=${rule.first}`,
      `rule=${rule.label}|shape=${me.shape}`,
      `rule=${rule.label}|pwrule=${pwRule}`,
      `rule=${rule.label}|nwrule=${nwRule}`,
      `rule=${rule.label}|pwrule=${pwRule}|cap=${me.cap}|common=${me.common}`,
      `rule=${rule.label}|nwrule=${nwRule}|cap=${me.cap}|common=${me.common}`,
    ];
    return features;
  });
}

/** The features that depend on the tags already given to the two tokens before (greedy left-to-right tagging). */
export function tagFeatures(prev: string, prev2: string, shape: string): string[] {
  return [`t-1=${prev}`, `t-2=${prev2}|t-1=${prev}`, `t-1=${prev}|shape=${shape}`];
}
