import { foldAccents, type FoundSpan } from "./detector.js";
import { isClinicalWord } from "./clinical-terms.js";
import { KEPT_PLACES, STATE_NAMES } from "./places.js";
import { PLACE_NAMES, SPANISH_WORD_PLACE_NAMES, WORD_LIKE_PLACE_NAMES } from "./gazetteer-data.js";

/**
 * Towns and cities by name, from a gazetteer (GeoNames' places, ./gazetteer-data.ts): the recognizer knows only
 * the largest cities and nothing in lower case ("fell at home in swindon", "we r in el paso"). A name that is no
 * common word is taken when capitalised anywhere, and in lower case after a word that announces a place; a
 * word-like name ("Reading", "Victoria") only capitalised after such a word. States and countries are kept
 * here too (KEPT_PLACES), and so are clinical words ("Parkinson" is a town too).
 */

let sets: { plain: Set<string>; wordLike: Set<string>; spanishWords: Set<string> } | undefined;

/** How a name may be taken: "plain" (capitalised anywhere, lower case after a lead), "wordLike" (capitalised after a lead), or not a place. */
function kindOf(name: string, spanish: boolean): "plain" | "wordLike" | undefined {
  // The sets are built on first use: 10,000 strings are split only when a text is first de-identified.
  sets ??= { plain: new Set(PLACE_NAMES.split("|")), wordLike: new Set(WORD_LIKE_PLACE_NAMES.split("|")), spanishWords: new Set(SPANISH_WORD_PLACE_NAMES.split("|")) };
  if (sets.plain.has(name)) return "plain";
  if (sets.wordLike.has(name)) return "wordLike";
  if (sets.spanishWords.has(name)) return spanish ? "wordLike" : "plain";
  return undefined;
}

/** Whether `name` (any case and accents) is a town of the gazetteer: "alcorcón", "Reading". */
export const isGazetteerPlace = (name: string, spanish: boolean): boolean => kindOf(foldAccents(name).replace(/\s+/g, " "), spanish) !== undefined;

/** The longest place name in the gazetteer has 5 words ("san sebastian de los reyes"). */
const MAX_WORDS = 5;
const TOKEN = /\p{L}[\p{L}'’.]*/gu;
/** What may stand between the words of one name: a space or a hyphen ("Stoke-on-Trent", "Saint-Denis"). */
const JOIN = /^(?:\s|-)$/;
/** Words that are part of a name but stay lower case in it: "Alcalá de Henares", "Stratford-upon-Avon". */
const SMALL = /^(?:de|del|la|las|los|el|y|on|upon|under|the|of|le|les|sur|am|an|der)$/;
/** A place follows: "in", "from", "near", "en", "desde", "cerca de"; lower case or capitalised. */
/** "lives in reading", "vive en santa tecla": a residence said plainly; a word-like name may follow it in lower case. */
const HOME_LEAD = /(?:^|[^\p{L}])(?:lives?|living|lived|moved|born|grew up|resides|vive|vivo|vivimos|viven|viv[ií]a|naci[oó]|nacid[oa]|mudamos|mud[oó]|vecin[oa]|natural|residente)\s+(?:(?:in|to|at|en|a|de)\s+)$/iu;
const PLACE_LEAD = /(?:^|[^\p{L}])(?:in|from|to|near|at|of|by|nr|via|outside(?: of)?|out of|based in|resident of|native of|around|visiting|into|towards?|en|desde|hacia|cerca de|vive en|vivo en|vivimos en)\s+$/iu;
/** ", TX", " ok 74103", ", Spain", " idaho": a state or a country after it says a place came before. */
const PLACE_TAIL = new RegExp(String.raw`^,?\s+(?:[A-Za-z]{2}\b,?\s*(?:\d{5}|$|[.;,)])|(?:${STATE_NAMES}|uk|england|scotland|wales|ireland|spain|espa[nñ]a|m[eé]xico|canada|india)\b)`, "iu");

/** `folded` is `foldAccents(text)`, which the caller has already. */
export function findGazetteerPlaces(text: string, folded: string, spanish: boolean): FoundSpan[] {
  const tokens = [...folded.matchAll(TOKEN)].map((hit) => {
    // "St." keeps its dot (a name may start "st. "), a sentence's last word does not.
    const word = /^st\.$/.test(hit[0]) ? hit[0] : hit[0].replace(/\.+$/, "");
    return { start: hit.index, end: hit.index + word.length };
  });
  const spans: FoundSpan[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let best: { end: number; last: number; plainName: boolean } | undefined;
    for (let n = 0; n < MAX_WORDS && i + n < tokens.length; n++) {
      if (n > 0 && !JOIN.test(folded.slice(tokens[i + n - 1]!.end, tokens[i + n]!.start).replace(/\s+/, " "))) break;
      const key = folded.slice(tokens[i]!.start, tokens[i + n]!.end).replace(/\s+/g, " ");
      const kind = kindOf(key, spanish);
      if (kind) best = { end: tokens[i + n]!.end, last: i + n, plainName: kind === "plain" };
    }
    if (!best) continue;
    const start = tokens[i]!.start;
    const words = tokens.slice(i, best.last + 1).map((t) => text.slice(t.start, t.end));
    const capitalised = words.every((w, k) => /^\p{Lu}/u.test(w) || (k > 0 && SMALL.test(w.toLowerCase())));
    const announced = PLACE_LEAD.test(text.slice(Math.max(0, start - 24), start)) || PLACE_TAIL.test(text.slice(best.end, best.end + 24));
    const value = text.slice(start, best.end);
    if (KEPT_PLACES.test(value) || words.every((w, k) => isClinicalWord(w, text, tokens[i + k]!.start, tokens[i + k]!.end))) continue;
    const home = HOME_LEAD.test(text.slice(Math.max(0, start - 24), start));
    if (best.plainName ? capitalised || announced : (capitalised && announced) || home) {
      // A name of several words ("Jerez de la Frontera") is strong evidence: it wins over the recognizer's pieces of it.
      spans.push({ start, end: best.end, class: "CITY", value: text.slice(start, best.end), priority: best.last > i ? 2.5 : 1 });
      i = best.last;
    }
  }
  return spans;
}
