import { agesAfterNames, citiesAfterAddresses, namesBesideNames } from "./beside-spans.js";
import { ENGLISH_WORDS, isClinicalWord, SPANISH_WORDS } from "./clinical-terms.js";
import { findDates, type DateParts, type DateSpan } from "./dates.js";
import { escapeRegExp, foldAccents, type FoundSpan } from "./detector.js";
import { findGazetteerPlaces } from "./gazetteer.js";
import { lowerCaseNamesAndPlaces, mayBeLowerCaseName } from "./lower-case.js";
import { findNamesAndPlaces } from "./names.js";
import { runDetectors } from "./detector.js";
import { modelSpans, type TaggerOptions } from "./ner.js";
import { undoOcrSlips } from "./ocr.js";
import { PATTERN_DETECTORS } from "./patterns.js";
import { isSpecialty } from "./specialties.js";
import { KEPT_PLACES, PLACE_DETECTORS } from "./places.js";
import { groupOf, PLACEHOLDER_PATTERN, type Span, type SpanClass } from "./span-classes.js";

/** The patient's own terms, from their encrypted profile: always removed, whatever the recognizer thinks. */
export interface PatientTerms {
  /** Names of the patient and of people close to them: each whole name and each part of 3+ letters. */
  names?: readonly string[];
  /** The patient's date of birth, `YYYY-MM-DD`: found in any common numeric form. */
  birthDate?: string;
  /** Address lines, city, postal code. */
  address?: readonly string[];
  /** Any other identifier (an insurer's member number, an employer...). */
  other?: readonly string[];
}

export interface FoundIdentifier extends Span {
  /** For dates: the parts that were written, which the placeholder shifts. */
  parts?: DateParts;
}

/** A text is treated as Spanish (Spanish date words too) when its function words say so. */
export function looksSpanish(text: string): boolean {
  let es = 0;
  let en = 0;
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    if (SPANISH_WORDS.has(word)) es++;
    if (ENGLISH_WORDS.has(word)) en++;
  }
  return es >= 2 && es >= en * 0.6;
}

function birthDateForms(iso: string): { forms: string[]; parts: DateParts } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.trim());
  if (!match) return undefined;
  const [, y, m, d] = match as unknown as [string, string, string, string];
  const [mm, dd] = [String(Number(m)), String(Number(d))];
  const forms = [`${y}-${m}-${d}`, `${m}/${d}/${y}`, `${d}/${m}/${y}`, `${mm}/${dd}/${y}`, `${dd}/${mm}/${y}`, `${d}.${m}.${y}`, `${d}-${m}-${y}`, `${m}-${d}-${y}`, `${y}${m}${d}`, `${d}${m}${y}`, `${m}${d}${y}`];
  return { forms, parts: { year: Number(y), month: Number(m), day: Number(d) } };
}

/** Whole-word, accent- and case-insensitive matches of `terms` in `text`. */
export function findTerms(text: string, terms: readonly string[], spanClass: SpanClass | ((term: string) => SpanClass), priority: number): FoundSpan[] {
  const wanted = [...new Set(terms.map((t) => foldAccents(t.trim().replace(/\s+/g, " "))).filter((t) => t.length >= 2))];
  if (wanted.length === 0) return [];
  wanted.sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${wanted.map((t) => escapeRegExp(t).replace(/ /g, "\\s+")).join("|")})(?![\\p{L}\\p{N}])`, "gu");
  return [...foldAccents(text).matchAll(pattern)].map((hit) => {
    const value = text.slice(hit.index, hit.index + hit[0].length);
    return { start: hit.index, end: hit.index + value.length, class: typeof spanClass === "string" ? spanClass : spanClass(value), value, priority };
  });
}

/**
 * Whole words of `text` that are in `words` (accents folded, lower case), with or without a trailing "'s": one pass
 * and one lookup per word, where a pattern of a few hundred alternatives had to be compiled for every text.
 */
function findWords(text: string, folded: string, words: ReadonlySet<string>, spanClass: SpanClass, priority: number): FoundSpan[] {
  const spans: FoundSpan[] = [];
  for (const hit of folded.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu)) {
    const word = words.has(hit[0]) ? hit[0] : hit[0].replace(/['’]s$/, "");
    if (!words.has(word)) continue;
    spans.push({ start: hit.index, end: hit.index + word.length, class: spanClass, value: text.slice(hit.index, hit.index + word.length), priority });
  }
  return spans;
}

/**
 * Spans of the patient's dictionary: they win over the recognizer and its clinical vetoes, but not over a
 * larger identifier around them (an email with the surname in it goes whole).
 */
const DICTIONARY = 3.5;

function dictionarySpans(text: string, terms: PatientTerms): (FoundSpan & { parts?: DateParts })[] {
  const names = (terms.names ?? []).flatMap((name) => [name, ...name.split(/[\s-]+/).filter((part) => [...part].length >= 3)]);
  const spans: (FoundSpan & { parts?: DateParts })[] = findTerms(text, names, "NAME", DICTIONARY);
  const address = (terms.address ?? []).flatMap((line) => [line, ...line.split(/\s*,\s*/)]);
  spans.push(...findTerms(text, address, (value) => (/^[\d\s-]+$/.test(value) ? "ZIP" : /\d/.test(value) ? "STREET" : "CITY"), DICTIONARY));
  spans.push(...findTerms(text, terms.other ?? [], "ID", DICTIONARY));
  const birth = terms.birthDate ? birthDateForms(terms.birthDate) : undefined;
  if (birth) spans.push(...findTerms(text, birth.forms, "DATE", DICTIONARY).map((span) => ({ ...span, parts: birth.parts })));
  return spans;
}

const LEADING_FUNCTION_WORDS = /^(?:(?:the|a|an|in|at|on|to|from|of|and|lives|living|near|en|de|del|la|el|los|las|y|a|desde|vive)\s+)+/i;

/** "born in Dec", "since Tues": a month or a weekday written short is no town. */
const MONTH_OR_DAY = /^(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|ene|abr|ago|dic|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|lun|mi[eé]|jue|vie|s[aá]b|dom)\.?$/i;

/**
 * "Ross River virus", "Lyme disease", "St. John's wort", "Ann Arbor system", "Ottawa ankle rules", "Harvey-Bradshaw
 * index": a place's or a person's name before one of these words names an infection, a plant, a staging or a score,
 * not where someone is or who.
 */
const NAMES_A_THING = /^[ \t]+(?:virus|viruses|disease|fever|encephalitis|wort|strain|variant|syndrome|tick|spotted|system|classification|criteria|index|score|scale|rules?|staging|equation|formula|protocol|(?:ankle|knee|foot|head|c-spine)\s+(?:and\s+\w+\s+)?rules?|network\s+score)\b/i;

/** "Medi-Cal", "SARS-CoV-2": a capitalised piece glued after a hyphen to a word is part of that word, not a name. */
const pieceAfterHyphen = (text: string, start: number) => /\p{L}[-‐]$/u.test(text.slice(Math.max(0, start - 2), start));

/** Trims what a frame or the recognizer took around a name or place, and drops what is no identifier. */
function cleaned(span: FoundSpan, text: string): FoundSpan | undefined {
  // After the rest of its capitalised run: the model's "St" of "St. John's wort" is part of the plant's name too.
  const runEnd = span.end + (/^(?:\.?[ \t]+\p{Lu}[\p{L}'’-]*)*/u.exec(text.slice(span.end, span.end + 40))?.[0].length ?? 0);
  if ((span.class === "NAME" || span.class === "CITY" || span.class === "FACILITY") && (NAMES_A_THING.test(text.slice(runEnd, runEnd + 24)) || isSpecialty(span.value))) return undefined;
  if (span.class !== "NAME" && span.class !== "CITY") return span;
  if (span.class === "NAME" && span.priority < 2 && !/\s/.test(span.value) && pieceAfterHyphen(text, span.start)) return undefined;
  let { start, value } = span;
  // "Al-Rashid", "O'Brien", "D'Angelo": a prefix the recognizer split off belongs to the name.
  if (span.class === "NAME") {
    const prefix = /(?<![\p{L}])(?:Al|El|Abu|Bin|Ibn|Ben|O|D|De|Di|Da|Du|La|Le)[-'’]$/u.exec(text.slice(Math.max(0, start - 4), start));
    if (prefix) {
      start -= prefix[0].length;
      value = prefix[0] + value;
    }
  }
  // "La Floresta", "Los Olivos": a capitalised article before a capitalised word is part of a place's name.
  const article = span.class === "CITY" && /^(?:La|El|Las|Los)\s+\p{Lu}/u.test(value);
  const lead = article ? 0 : (LEADING_FUNCTION_WORDS.exec(value)?.[0].length ?? 0);
  start += lead;
  value = value.slice(lead).replace(/[\s,.;:'’]+$/, "").replace(/['’]s$/, "");
  if (!/\p{L}{2,}/u.test(value)) return undefined;
  // "Co. Kerry": the word for county is no name.
  if (span.class === "NAME" && /^Co$/.test(value) && /^\.?[ \t]+\p{Lu}/u.test(text.slice(start + 2, start + 5))) return undefined;
  // "New York, NY 10018", "Washington, DC": a state's name with a state's code after it is the city of that name.
  const cityOfState = /^,?\s+[A-Z]{2}\b/.test(text.slice(start + value.length, start + value.length + 6));
  if (span.class === "CITY" && ((KEPT_PLACES.test(value) && !cityOfState) || MONTH_OR_DAY.test(value) || value.split(/\s+/).every((w) => isClinicalWord(w, text, start, start + value.length)))) return undefined;
  return { ...span, start, end: start + value.length, value };
}

/**
 * Keeps the strongest of overlapping spans: higher priority first, then the longer one. Overlapping
 * names merge first ("Ana" found by the recognizer, "Gonzalez" by the dictionary: "Ana Gonzalez" goes whole).
 */
export function resolveOverlaps<T extends FoundSpan>(spans: readonly T[], text: string): T[] {
  const names = spans.filter((s) => s.class === "NAME").sort((a, b) => a.start - b.start);
  const merged: T[] = [];
  for (const span of names) {
    const last = merged.at(-1);
    if (last && span.start < last.end) {
      const end = Math.max(last.end, span.end);
      merged[merged.length - 1] = { ...last, end, value: text.slice(last.start, end), priority: Math.max(last.priority, span.priority) };
    } else merged.push(span);
  }
  const ordered = [...spans.filter((s) => s.class !== "NAME"), ...merged].sort((a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start);
  // Which characters a kept span holds: one pass over each span, however many there are.
  const taken = new Uint8Array(text.length + 1);
  const kept: T[] = [];
  for (const candidate of ordered) {
    const clash = taken.subarray(candidate.start, candidate.end).indexOf(1);
    const span = clash === -1 ? candidate : headBefore(candidate, candidate.start + clash, text);
    if (!span || taken.subarray(span.start, span.end).some((x) => x === 1)) continue;
    taken.fill(1, span.start, span.end);
    kept.push(span);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * A framed name or a place that ran into a stronger span keeps its words before it: "dra ortega del centro de salud ..."
 * (a name frame took words of the facility after it) keeps "ortega"; "Bath BA" beside the postcode "BA2 4QT", "Bath".
 */
function headBefore<T extends FoundSpan>(span: T, clash: number, text: string): T | undefined {
  // A name only when a frame found it ("dra ortega"): the recognizer's "Reported Jan" is no name without "Jan".
  if (span.class !== "CITY" && !(span.class === "NAME" && span.priority >= 2)) return undefined;
  let head = text.slice(span.start, clash);
  // A word cut in two is not kept.
  if (/[\p{L}\p{N}]$/u.test(head) && /^[\p{L}\p{N}]/u.test(text.slice(clash))) head = head.replace(/[\p{L}\p{N}'’-]+$/u, "");
  head = head.replace(/(?:[\s,.;:'’-]+(?:de|del|la|las|los|el|the|of|at|and|y|from|en|in)(?=[\s,.;:'’-]*$))*[\s,.;:'’-]*$/iu, "");
  if (!/\p{L}{2,}/u.test(head)) return undefined;
  return { ...span, end: span.start + head.length, value: head };
}

/** Placeholders already in the text (a second pass, a resent conversation) are left as they are. */
function placeholderRanges(text: string): FoundSpan[] {
  return [...text.matchAll(PLACEHOLDER_PATTERN)].map((hit) => ({ start: hit.index, end: hit.index + hit[0].length, class: "ID", value: hit[0], priority: 100 }));
}

export interface FindOptions {
  /**
   * The trained recognizer (./ner.ts) beside the rules: on by default; `false` for the rules alone (the benchmark
   * prints both), or other weights and threshold (cross-validation while training).
   */
  model?: boolean | TaggerOptions;
}

/**
 * What the rules find in one text, as candidates (overlaps unresolved): the recognizer reads their resolved spans
 * as features, and they are the candidates the model's spans join.
 */
function ruleCandidates(text: string, folded: string, terms: PatientTerms, spanish: boolean): (FoundSpan & { parts?: DateParts })[] {
  const candidates: (FoundSpan & { parts?: DateParts })[] = [
    ...placeholderRanges(text),
    ...dictionarySpans(text, terms),
    ...runDetectors(text, PATTERN_DETECTORS),
    ...runDetectors(text, PLACE_DETECTORS),
    ...(findDates(text, spanish) as DateSpan[]),
    ...findNamesAndPlaces(text),
    ...lowerCaseNamesAndPlaces(text, spanish),
  ].flatMap((span) => cleaned(span, text) ?? []);
  // Gazetteer names are whole as they are ("El Paso" keeps its "El").
  candidates.push(...findGazetteerPlaces(text, folded, spanish).filter((span) => !NAMES_A_THING.test(text.slice(span.end, span.end + 24))));
  candidates.push(...citiesAfterAddresses(text, candidates, spanish), ...agesAfterNames(text, candidates), ...namesBesideNames(text, candidates));
  return candidates;
}

/** The rules' spans of one text, overlaps resolved: what the recognizer is given as features, in training too. */
export function ruleSpans(written: string, terms: PatientTerms = {}): FoundSpan[] {
  const text = undoOcrSlips(written);
  return withValuesOf(written, text, resolveOverlaps(ruleCandidates(text, foldAccents(text), terms, looksSpanish(text)), text));
}

/** Spans found in `read` (the text with its OCR slips undone, ./ocr.ts: same length) hold what was `written` there. */
const withValuesOf = <T extends Span>(written: string, read: string, spans: T[]): T[] => (written === read ? spans : spans.map((s) => ({ ...s, value: written.slice(s.start, s.end) })));

/**
 * "Kingston Health" found by a rule in "Kingston Health Sciences Centre", which the model took whole: a model span of
 * the same group that overlaps a rule's and runs past it extends it (the rule's class and priority, so it wins as the
 * rule would have). Names merge in resolveOverlaps already; without this, the model's longer span lost to the rule's.
 */
function extendedRules(found: readonly FoundSpan[], rules: readonly FoundSpan[], text: string): FoundSpan[] {
  const extended: FoundSpan[] = [];
  for (const span of found) {
    const group = groupOf(span.class);
    if (group !== "locations" && group !== "identifiers") continue;
    const overlapped = rules.filter((rule) => rule.start < span.end && rule.end > span.start && rule.priority < 100);
    // A model span over rules' spans of two classes ("D02 X285 Dublin": a postcode and a town) joins no one place.
    if (overlapped.length === 0 || overlapped.some((rule) => groupOf(rule.class) !== group || rule.class !== overlapped[0]!.class)) continue;
    const start = Math.min(span.start, ...overlapped.map((r) => r.start));
    const end = Math.max(span.end, ...overlapped.map((r) => r.end));
    const widest = overlapped.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
    // "Oak Tree Lodge care home": lower-case words the model ran on with are what the place is, not its name.
    const added = text.slice(start, widest.start) + text.slice(widest.end, end);
    if (/\p{Lu}/u.test(widest.value) && !/[\p{Lu}\p{N}]/u.test(added)) continue;
    if (start < widest.start || end > widest.end) extended.push({ start, end, class: widest.class, value: text.slice(start, end), priority: Math.max(...overlapped.map((r) => r.priority)) });
  }
  return extended;
}

/** Every identifier in one text, before placeholders: what `openchart redact --json` prints and the benchmark scores. */
export function findIdentifierSpans(written: string, terms: PatientTerms = {}, knownNames: readonly string[] = [], options: FindOptions = {}): FoundIdentifier[] {
  const text = undoOcrSlips(written);
  const spanish = looksSpanish(text);
  const model = options.model ?? true;
  const folded = foldAccents(text);
  const candidates = ruleCandidates(text, folded, terms, spanish);
  if (model !== false) {
    // The model reads what the rules found (their labels are among its features): it learns where to trust and extend them.
    const rules = resolveOverlaps(candidates, text);
    // A lone lower-case word the model calls a name or a town must pass the lower-case rules' own test ("in utero").
    const found = modelSpans(text, spanish, model === true ? {} : model, rules)
      .flatMap((span) => cleaned(span, text) ?? [])
      .filter((s) => !((s.class === "NAME" || s.class === "CITY") && /^\p{Ll}[\p{Ll}'’-]*$/u.test(s.value)) || mayBeLowerCaseName(s.value, text, s.start, spanish));
    candidates.push(...found, ...extendedRules(found, rules, text), ...citiesAfterAddresses(text, found, spanish), ...agesAfterNames(text, found), ...namesBesideNames(text, found));
  }
  // A name found once is that person wherever it appears again ("Okafor" alone, later, lower case): its
  // parts are searched for (a few hundred at most, so a text of ten thousand names stays one search).
  const parts = new Set<string>();
  for (const name of [...knownNames, ...candidates.filter((s) => s.class === "NAME").map((s) => s.value)]) {
    // Folding is per character: plain ASCII parts (most) only need lower case.
    for (const part of name.split(/[\s-]+/)) if ([...part].length >= 3 && parts.size < MAX_NAME_PARTS) parts.add(/^[\x20-\x7e]*$/.test(part) ? part.toLowerCase() : foldAccents(part));
  }
  const again = findWords(text, folded, parts, "NAME", 0.5).filter(
    (span) => !isClinicalWord(span.value, text, span.start, span.end) && (/^\p{Lu}/u.test(span.value) || !COMMON_WORD_NAMES.has(span.value.toLowerCase())),
  );
  const found = resolveOverlaps([...candidates, ...again], text)
    .filter((span) => span.priority < 100)
    .map(({ priority: _priority, ...span }) => (groupOf(span.class) === "identifiers" ? wholeToken(span, text) : span));
  return withValuesOf(written, text, found);
}

/**
 * "MRN88120043": a number found behind its label, written together with it, goes with the whole run of letters and
 * digits; capitals closing it after a space go too, a check letter or a country ("PJN 558102 S", "QNTR 550912 ES"),
 * but not "I" or "A", which start words as often.
 */
function wholeToken<T extends Span>(span: T, text: string): T {
  let { start, end } = span;
  while (start > 0 && /[\p{L}\p{N}]/u.test(text[start - 1]!)) start--;
  while (end < text.length && /[\p{L}\p{N}]/u.test(text[end]!)) end++;
  end += /^ (?!(?:I|A)(?![\p{L}\p{N}]))[A-Z]{1,3}(?![\p{L}\p{N}])/u.exec(text.slice(end, end + 5))?.[0].length ?? 0;
  return start === span.start && end === span.end ? span : { ...span, start, end, value: text.slice(start, end) };
}

const MAX_NAME_PARTS = 500;

/** Names that are also everyday words: found again only when capitalised. */
const COMMON_WORD_NAMES = new Set(
  "will may mark bill rose hope grace faith joy pat sue art dawn june april august frank guy max rich sunny sol luz paz rosa pilar mercedes rocio rocío angel ángel jesus jesús concepcion concepción dolores amparo consuelo remedios milagros soledad carmen victoria blanca clara nieves".split(" "),
);
