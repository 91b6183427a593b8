import { isClinicalWord, isNameWord } from "./clinical-terms.js";
import type { FoundSpan } from "./detector.js";
import { KEPT_PLACES } from "./places.js";

/**
 * Places named with no word such as "Hospital" or "Street", found by what is said around them: where someone
 * works, trains, has labs drawn or sees a doctor ("works at amazon", "driver for FedEx", "lab at quest",
 * "dr lindqvist at karolinska", "(Dr. Greg Summers, OrthoCarolina)"), and where they travel ("de viaje a
 * Lanzarote"). The recognizer's tags (compromise) say which words are nouns; clinical words are never taken.
 */

/** One word as the recognizer (compromise) returns it. */
export interface Term {
  text: string;
  tags: string[];
  offset: { start: number; length: number };
}

export const TITLE = /^(?:dr|dra|doctor|doctora|mr|mrs|ms|miss|mx|prof|professor|sr|sra|srta|don|doña|dña|dª|d\.ª|nurse|rn|np|pa|rev|sister|sor|fr|enfermer[oa]|lic|ing)$/i;

/** Tags of a word that is no place's name: "at Christmas", "in March", "in Spanish", "at ICU". */
const NOT_PLACE_TAGS = /^(?:Date|Month|WeekDay|Holiday|Language|Demonym|Acronym|Unit|Verb|Adjective|Adverb|Pronoun|Determiner|Value|Honorific|Possessive|Preposition|Conjunction|QuestionWord|Negative|Expression|Auxiliary|Modal|Copula)$/;

/**
 * Lower-case words that follow "at" but name no particular place: "works at home", "lab at the hospital",
 * "nurse at night". A cue lets a lower-case name through; these stay.
 */
export const GENERIC = new Set(
  `home work school college uni university church night nights day days weekend weekends times time first least most all once rest risk
  bedtime lunch dinner breakfast noon midnight desk office hospital clinic er icu ed moment end start beginning same front back top bottom
  bedside hand heart mind least best worst random last the a an my his her their our your its this that these those here there
  pharmacy lab labs gym mall store shop market warehouse factory plant farm restaurant bar cafe kitchen site job door doors
  casa trabajo colegio cole escuela playa pueblo campo montaña montana costa extranjero beach mountains coast abroad village countryside
  lake sea city town centre center supermercado super tienda bar oficina fábrica fabrica almacén almacen restaurante banco airport baseline risk term triage presentation birth diagnosis onset admission discharge follow-up followup
  peak`.split(/\s+/),
);

/** A word before "at" or "for" that says the place is someone's workplace, gym, lab or doctor's. */
const WORK_OR_SERVICE =
  /^(?:work|works|worked|working|employed|employee|volunteer|volunteers|volunteered|volunteering|shift|shifts|job|jobs|intern|interning|trains|training|lab|labs|bloodwork|bloods|xray|x-ray|scan|mri|ultrasound|pharmacy|pharmacist|rehab|physio|therapy|infusion|dialysis|appointment|appt|class|classes|practice|gym|employer|company|surgery|operation|procedure|op|student|studies|studying|study|enrolled|residence|dorm|drive|drives|driving|driver|deliver|delivers|delivering|rides|trabaja|trabajo|trabajaba|camarer[oa]|cajer[oa]|dependient[ae]|reponedor[a]?)$/i;

/** "viaje a", "trip to", "flying to", "going to Apia", "returned from Kruger": where someone goes or has been, a town, an island or a resort. */
const TRAVEL = /(?:^|[^\p{L}])(?:trip|travel|travell?ing|traveled|travelled|flying|flight|fly|flew|holiday|holidays|vacation|vacationing|cruise|de viaje|de vacaciones|viajamos|viajo|viajar|viaja|viajaremos|vuelo|volamos|nos vamos|me voy|se va|nos fuimos)\s+(?:to|a|en|in|al)\s+$/iu;
/** "going to Apia", "returned from Kruger": a word of going that names no trip ("back to facility"), so a capital only. */
const GOING = /(?:^|[^\p{L}])(?:going|goes|went|heading|headed|returning|returned|flew|volvi[oó]|volvimos|regres[oó]|regresamos)\s+(?:to|from|a|de)\s+$/iu;

export function placesAfterCues(text: string, terms: readonly Term[]): FoundSpan[] {
  const spans: FoundSpan[] = [];
  const wordOf = (term: Term) => text.substr(term.offset.start, term.offset.length).replace(/[.,;:!?)]+$/, "");
  const clinical = (term: Term) => isClinicalWord(wordOf(term), text, term.offset.start, term.offset.start + wordOf(term).length);
  const capitalised = (term: Term) => {
    const word = wordOf(term);
    return /^\p{Lu}[\p{L}'’-]+$/u.test(word) && !/^\p{Lu}+$/u.test(word) && isNameWord(word) && !TITLE.test(word) && !KEPT_PLACES.test(word) && !term.tags.some((t) => NOT_PLACE_TAGS.test(t)) && !clinical(term);
  };
  // After a cue, a lower-case noun or a short code ("ups", "la fitness") is a name too.
  const cued = (term: Term) => {
    const word = wordOf(term);
    if (capitalised(term) || (/^\p{Lu}{2,6}$/u.test(word) && !clinical(term))) return true;
    return /^[\p{Ll}][\p{L}'’-]+$/u.test(word) && isNameWord(word) && !GENERIC.has(word.toLowerCase()) && !TITLE.test(word) && !KEPT_PLACES.test(word) && !term.tags.some((t) => t !== "Acronym" && NOT_PLACE_TAGS.test(t)) && !clinical(term);
  };
  const gapIs = (a: Term, b: Term, pattern: RegExp) => pattern.test(text.slice(a.offset.start + wordOf(a).length, b.offset.start));
  const take = (first: number, accept: (term: Term) => boolean, spanClass: "FACILITY" | "CITY") => {
    let last = first;
    while (last + 1 < terms.length && last - first < 2 && gapIs(terms[last]!, terms[last + 1]!, /^ $/) && accept(terms[last + 1]!)) last++;
    const start = terms[first]!.offset.start;
    const end = terms[last]!.offset.start + wordOf(terms[last]!).length;
    spans.push({ start, end, class: spanClass, value: text.slice(start, end), priority: 0.5 });
    return last;
  };
  for (let i = 1; i < terms.length; i++) {
    const lead = wordOf(terms[i - 1]!).toLowerCase();
    // "at the Walmart on Hwy 45": an article between is skipped when a capital follows.
    const skip = (lead === "the" || lead === "el" || lead === "la") && i >= 2 ? 1 : 0;
    const at = wordOf(terms[i - 1 - skip]!).toLowerCase();
    const before = i >= 2 + skip ? terms[i - 2 - skip]! : undefined;
    const going = /^(?:to|from|a|de)$/.test(lead) && GOING.test(text.slice(Math.max(0, terms[i]!.offset.start - 30), terms[i]!.offset.start));
    if (going && skip === 0 && capitalised(terms[i]!)) {
      i = take(i, capitalised, "CITY");
      continue;
    }
    if (/^(?:to|a|en|in|al)$/.test(lead) && TRAVEL.test(text.slice(Math.max(0, terms[i]!.offset.start - 30), terms[i]!.offset.start))) {
      if (cued(terms[i]!) && (capitalised(terms[i]!) || skip === 0)) i = take(i, capitalised, "CITY");
      continue;
    }
    // "at my job (lowes)", "employer: ups", "Lab: Invitae", "school: st brigid's": a workplace, lab or school in brackets or after a colon.
    const gap = text.slice(terms[i - 1]!.offset.start + wordOf(terms[i - 1]!).length, terms[i]!.offset.start);
    // A lab, pharmacy or school only after a colon: in brackets comes what is said of it ("school (age 7)").
    const colonLead = /^\s*:\s*$/.test(gap) && /^(?:lab|laboratory|laboratorio|pharmacy|farmacia|school|colegio|escuela|nursery|daycare|guarder[ií]a)$/i.test(lead);
    if (colonLead || (/^\s*[(:]\s*$/.test(gap) && /^(?:job|work|employer|workplace|trabajo|empresa)$/i.test(lead))) {
      if (cued(terms[i]!)) i = take(i, cued, "FACILITY");
      continue;
    }
    if (at === "at" || at === "@" || at === "for" || at === "by" || at === "en" || at === "with") {
      // "works at amazon", "driver for FedEx", "lab at quest", "dr lindqvist at karolinska", "trabaja en Mercadona".
      const beforeWord = before ? wordOf(before) : "";
      const workCue = before !== undefined && WORK_OR_SERVICE.test(wordOf(before));
      const cue =
        at !== "by" &&
        before !== undefined &&
        (WORK_OR_SERVICE.test(beforeWord) || (at !== "en" && before.tags.includes("Actor") && !before.tags.includes("Pronoun")) || (i >= 3 + skip && TITLE.test(wordOf(terms[i - 3 - skip]!).replace(/\.$/, ""))));
      // After an article only a capitalised name, unless a word of work says whose ("cajera en el carrefour"): "works at the
      // airport" names no place. "with" only after an occupation ("pilot with Lufthansa").
      const lowerOk = cue && (skip === 0 || workCue);
      if (at === "with" && !(cue && before?.tags.includes("Actor"))) continue;
      if (lowerOk ? cued(terms[i]!) : (at === "at" || cue) && capitalised(terms[i]!)) i = take(i, lowerOk ? cued : capitalised, "FACILITY");
      continue;
    }
    // "Employer: Swift Transportation", "my employer ups needs a note".
    // In lower case only before a verb or a stop: "employer ups needs", not "employer pays for".
    const next = terms[i + 1];
    const closes = !next || next.tags.includes("Verb") || /^\s*[,.;:!?)]/.test(text.slice(terms[i]!.offset.start + wordOf(terms[i]!).length));
    if (/^(?:employer|employers|empresa)$/i.test(lead) && cued(terms[i]!) && (capitalised(terms[i]!) || closes)) i = take(i, cued, "FACILITY");
  }
  return spans;
}

/**
 * "(Dr. Greg Summers, OrthoCarolina)", "Dr. Yee, Ridgeview": where a clinician named with a title works, after
 * a comma; not their degrees ("MD", "PA-C"), role ("Consultant Cardiologist") or specialty.
 */
export function affiliationsAfterClinicians(text: string, terms: readonly Term[]): FoundSpan[] {
  const spans: FoundSpan[] = [];
  const end = (t: Term) => t.offset.start + t.offset.length;
  for (let i = 0; i + 1 < terms.length; i++) {
    if (!/^(?:dr|dra|doctor|doctora|prof|professor)\.?$/i.test(text.slice(terms[i]!.offset.start, end(terms[i]!)))) continue;
    // The name: up to three capitalised words, the last one right before a comma.
    let last = i + 1;
    while (last + 1 < terms.length && last - i < 3 && /^\p{Lu}/u.test(terms[last + 1]!.text) && /^ $/.test(text.slice(end(terms[last]!), terms[last + 1]!.offset.start))) last++;
    if (!/^\p{Lu}/u.test(terms[i + 1]!.text)) continue;
    const affiliation = /^,[ \t]*(\p{Lu}[\p{L}'’&-]+(?:[ \t]+\p{Lu}[\p{L}'’&-]+){0,3})(?=\s*[).;\n]|\s*$)/u.exec(text.slice(end(terms[last]!)));
    if (!affiliation) continue;
    const value = affiliation[1]!;
    const start = end(terms[last]!) + affiliation[0].length - value.length;
    const words = terms.filter((t) => t.offset.start >= start && t.offset.start < start + value.length);
    const refused = (t: Term) =>
      t.tags.includes("Actor") || /^\p{Lu}{2,}(?:-\p{Lu})?$/u.test(t.text) || t.tags.some((tag) => NOT_PLACE_TAGS.test(tag)) || isClinicalWord(t.text, text, t.offset.start, t.offset.start + t.text.length);
    if (words.length === 0 || words.some(refused) || KEPT_PLACES.test(value)) continue;
    spans.push({ start, end: start + value.length, class: "FACILITY", value, priority: 0.5 });
  }
  return spans;
}

/** Words that name a kind of place, not one: an organisation of these alone is none ("Fertility clinic", "Grade Group"). */
const KIND_WORDS = /^(?:clinic|hospital|medical|medicine|center|centre|group|grade|health|care|management|service|services|department|unit|team|general|regional|community|national|royal|university|school|bank|food|company|partners|associates|practice)$/i;

/**
 * Businesses and employers the recognizer knows by name ("FedEx", "Costco", "walmart", "home depot"): its lexicon
 * tags them as organisations. Not acronyms alone ("NHS", "BP", "CBC"), insurers' programmes ("Medicare") or kinds
 * of place ("Anticoagulation clinic").
 */
export function organisations(text: string, terms: readonly Term[]): FoundSpan[] {
  const spans: FoundSpan[] = [];
  const wordOf = (term: Term) => text.substr(term.offset.start, term.offset.length);
  for (let i = 0; i < terms.length; i++) {
    if (!terms[i]!.tags.includes("Organization")) continue;
    let last = i;
    while (last + 1 < terms.length && terms[last + 1]!.tags.includes("Organization") && /^ $/.test(text.slice(terms[last]!.offset.start + terms[last]!.offset.length, terms[last + 1]!.offset.start))) last++;
    const run = terms.slice(i, last + 1);
    const words = run.map(wordOf);
    const start = run[0]!.offset.start;
    const end = run.at(-1)!.offset.start + run.at(-1)!.offset.length;
    i = last;
    const capitalised = words.every((w) => /^\p{Lu}/u.test(w));
    const lower = words.every((w) => /^\p{Ll}/u.test(w)) && words.join(" ").length >= 5;
    if (!capitalised && !lower) continue;
    if (words.every((w) => KIND_WORDS.test(w) || /^\p{Lu}{2,5}$/u.test(w))) continue;
    if (run.some((t) => t.tags.includes("Person") || isClinicalWord(wordOf(t), text, t.offset.start, t.offset.start + t.offset.length) || !isNameWord(wordOf(t)) || KEPT_PLACES.test(wordOf(t)))) continue;
    if (lower && run.some((t) => GENERIC.has(wordOf(t)))) continue;
    spans.push({ start, end, class: "FACILITY", value: text.slice(start, end), priority: 0.4 });
  }
  return spans;
}

/**
 * "providence st vincent", "St Vincent and...": a saint's name is a hospital, a parish or a town (any of them a
 * place smaller than a state), in any case; not "St. John's wort" nor "St Vitus dance".
 */
export function saintsPlaces(text: string, terms: readonly Term[]): FoundSpan[] {
  const spans: FoundSpan[] = [];
  for (let i = 0; i + 1 < terms.length; i++) {
    if (!/^(?:st|st\.|saint|ste)$/i.test(text.substr(terms[i]!.offset.start, terms[i]!.offset.length))) continue;
    // A house number before makes "st" a street's end: "12 Main St".
    if (i > 0 && terms[i - 1]!.tags.includes("Value")) continue;
    const name = terms[i + 1]!;
    const word = text.substr(name.offset.start, name.offset.length);
    if (!name.tags.some((t) => /^(?:Place|FirstName|Person)$/.test(t)) || !/^\p{L}+(?:['’]s)?$/u.test(word)) continue;
    const end = name.offset.start + name.offset.length;
    if (/^\s*(?:wort|dance|vitus)\b/i.test(text.slice(end, end + 8)) || isClinicalWord(word, text, name.offset.start, end)) continue;
    spans.push({ start: terms[i]!.offset.start, end, class: "FACILITY", value: text.slice(terms[i]!.offset.start, end), priority: 0.5 });
  }
  return spans;
}
