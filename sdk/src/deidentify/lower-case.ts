import { DRUGS, isClinicalWord } from "./clinical-terms.js";
import { firstNameKind } from "./first-names.js";
import { GENERIC } from "./cues.js";
import type { FoundSpan } from "./detector.js";
import { KEPT_PLACES } from "./places.js";
import { isEnglishWord } from "./vocabulary.js";

/**
 * Names and towns typed in lower case ("i am abdirahman from eastleigh", "plunket nurse hine said", "we live in
 * walthamstow", "the clinic in umlazi"): in a chat nothing is capitalised, so neither the recognizer nor the lists
 * of names find what they have never seen. What tells them apart is that they are no English word (./vocabulary.ts)
 * and stand where a name or a town is said: after an introduction, a family word or a carer's title; after "live
 * in", "clinic in", "we're in"; before "here" or a phone number in brackets ("tama here, 43", "keiko (604...)"); a
 * signature's initial and surname at a line's end. English text only: every Spanish word is unknown to an English
 * list; there, only a town after a word of residence ("vivimos en mar del plata"), no common word.
 */

/**
 * Chat spellings, Latin phrases and shorthand no list of English words has, that follow those words all the same
 * ("i'm gonna", "in utero", "im ok", "in mins").
 */
const NOT_NAMES = new Set(
  `gonna wanna gotta kinda sorta dunno lol lmao omg pls plz thx ty ok okay idk tbh btw asap hrs yrs wks mins secs abt bc cuz coz tho ya yeah yep nope yup hiii hii helo heyy hey ur im ive id dont cant wont didnt doesnt isnt wasnt arent hes shes theyre thats whats theres havent hasnt wouldnt shouldnt couldnt
  utero situ vitro vivo toto vacuo loco extremis
  abx prn bd tds qds qid tid od nocte mane stat iv im sc po pr sl ng peg picc icu ed er gp pcp ob gyn ent ot pt np rn hca obs meds tabs pred abdo tummy bub bubs bubba hosp reg sho fy ct mri echo ecg ekg cxr axr usg xray eeg emg
  ward bay bed theatre rehab physio hdu ccu nicu picu scbu opd ipd ae aande
  mmol mg mcg kg ml bpm mmhg`.split(/\s+/),
);

/** Whether a lower-case word may be a name or a town: no English word, no clinical word, no shorthand. */
function unknownWord(word: string, text: string, start: number): boolean {
  const lower = word.toLowerCase().replace(/['’]s$/, "");
  // "boise idaho": a state or a country after a town stays (Safe Harbor keeps them).
  return lower.length >= 3 && !KEPT_PLACES.test(word) && !NOT_NAMES.has(lower) && !GENERIC.has(lower) && !DRUGS.has(lower) && !isEnglishWord(lower) && !isClinicalWord(word, text, start, start + word.length);
}

const WORD = String.raw`\p{Ll}[\p{Ll}'’-]*\p{Ll}`;

/**
 * The endings of adjectives and of clinical words ("im bipolar", "she's hypoxic", "in epigastrium"): the first word
 * after a lead is no name with one of these; a name of the lists that has one ("kamal") is found by ./names.ts.
 */
const NOT_NAME_ENDING = /(?:ic|ical|ar|al|ive|ous|ed|ing|ful|less|able|ible|ish|ory|ant|ent|ose|oid|itis|emia|aemia|osis|pathy|ectomy|ium|ism|ist|ness|ment|tion|sion)$/;

/**
 * Where a person's name follows: an introduction ("i am", "this is", "pt:"), a family word or a nickname for one, a
 * carer's title ("nurse", "midwife"), a signature with an initial ("reconciled by k. ahmadzai").
 */
const NAME_LEAD = new RegExp(
  String.raw`(?<![\p{L}])(?:i am|i'm|i’m|im|this is|it's|it’s|here is|here's|my name is|name is|names|name's|call me|pt\s*:|patient\s*:|name\s*:|nurse|midwife|doctor|dr\.?|nan|nana|nanna|nonna|nonno|granny|gran|grandad|grandpa|grampa|gramps|grandma|bro|sis|cousin|mate|hubby|wifey|bf|gf|fianc[eé]e?|friend|son|daughter|brother|sister|mother|mum|mom|mam|mummy|mommy|father|dad|daddy|wife|husband|partner|baby|boy|girl|kid|child|uncle|aunt|auntie|aunty|niece|nephew|carer|caregiver)\s+(?:\p{Ll}\.\s?)?|(?:by|per|signed|cc)\s+\p{Ll}\.\s?`,
  "gu",
);

/** Where a town follows: where someone lives, stays, comes from or is, a service's town ("the clinic in umlazi"). */
const PLACE_LEAD = new RegExp(
  String.raw`(?<![\p{L}])(?:live|lives|living|lived|reside|resides|based|staying|stay|stays|stayed|moved|move|moving|relocated|grew up|born|raised|am|we're|were|i'm|im|clinic|hospital|hosp|gp|practice|surgery|pharmacy|school|work|works|job|home|house|flat|family|here|there|back|currently|now|still|originally|come|comes|came|visiting)\s+(?:in|near|from|to)\s+`,
  "gu",
);

/** A name or a town: one unknown lower-case word, and up to two more when they are unknown too ("jaswinder kaur sandhu"). */
function takeWords(text: string, from: number, spanClass: "NAME" | "CITY", spans: FoundSpan[]): void {
  const words = new RegExp(String.raw`^(${WORD})(?:[ \t]+(${WORD}))?(?:[ \t]+(${WORD}))?`, "u").exec(text.slice(from, from + 80));
  if (!words || !unknownWord(words[1]!, text, from) || NOT_NAME_ENDING.test(words[1]!.toLowerCase())) return;
  let end = from + words[1]!.length;
  for (const next of [words[2], words[3]]) {
    const start = text.indexOf(next ?? "\0", end);
    if (next === undefined || start < 0 || !unknownWord(next, text, start)) break;
    end = start + next.length;
  }
  const value = text.slice(from, end).replace(/['’]s$/, "");
  spans.push({ start: from, end: from + value.length, class: spanClass, value, priority: 1 });
}

/** Who writes: "tama here, 43", "keiko (604.555.0175)", and a signature "d. kowalski-reyes" at a line's end. */
const NAME_BEFORE = new RegExp(String.raw`(?:^|(?<=[.!?;\n]\s*)|(?<=\p{Ll}\s))(?<v>${WORD})(?=\s+here\b|\s*\(\s*\+?\d[\d .()-]{6,}\))`, "gu");
/** "soy juanpi, 19", "i'm tama, 43": an introduction with the age after the name, in any language. */
const INTRODUCED_WITH_AGE = new RegExp(String.raw`(?<=(?<![\p{L}])(?:soy|me llamo|i'm|i’m|im|i am|my name is|mi nombre es)\s+)(?<v>${WORD})(?=\s*,\s*\d{1,3}(?!\s*(?:mg|kg|%|mmol|units?|lbs?|cm|mm)\b|[.,]\d))`, "gu");
/**
 * Whether a lone lower-case word the trained recognizer calls a name or a town may be one: no shorthand, no Latin, no
 * clinical word, no English or Spanish adjective ("in utero", "im bipolar", "diabético"); a first name of the lists always.
 */
export function mayBeLowerCaseName(word: string, text: string, start: number, spanish: boolean): boolean {
  const lower = word.toLowerCase();
  if (NOT_NAMES.has(lower) || GENERIC.has(lower) || isClinicalWord(word, text, start, start + word.length)) return false;
  if (firstNameKind(lower) !== undefined) return true;
  if (/(?:[tgmf]ic[oa]|ad[oa]|os[oa]|iv[oa]|ble|nte|ient[oa])s?$/.test(lower)) return false;
  // An English word stays the model's to judge ("in boulder"): the recognizer reads its context, the lists do not.
  return spanish || !NOT_NAME_ENDING.test(lower) || !isEnglishWord(lower);
}

const SPANISH_ADJECTIVE_ENDING = /(?:ic[oa]|ad[oa]|id[oa]|os[oa]|iv[oa]|ble|nte|al|ar|ient[oa]|er[oa])s?$/;
const SIGNATURE = new RegExp(String.raw`(?:^|(?<=[.!?\n]\s*))(?<v>\p{Ll}\.\s?${WORD})(?=\s*(?:$|\n|\())`, "gu");

/** "vivimos en mar del plata", "somos de villa crespo": a Spanish residence, and the words of the town's name. */
const SPANISH_HOME = new RegExp(String.raw`(?<![\p{L}])(?:vivo|vivimos|vive|viven|viv[ií]a|somos|soy|es|son|estamos|estoy|naci[oó]|nac[ií]|nacid[oa])\s+(?:en|de)\s+(?<v>${WORD}(?:\s+(?:de|del|de la|de los)?\s*${WORD}){0,2})(?=\s*[,.;:!?)]|\s*$)`, "gu");
/** What follows "vivo en" or "soy de" and names no town: a kind of home, a region's word, "aquí". */
const SPANISH_NOT_TOWNS = /^(?:familia|pareja|soledad|residencia|alquiler|situaci[oó]n|condiciones|comunidad|paz|zona|ciudad|provincia|capital|centro|afueras|interior|norte|sur|este|oeste|barrio|piso|departamento|apartamento|edificio|planta|calle|habitaci[oó]n|cuarto|hogar|asilo|albergue|pensi[oó]n|hotel|hostal|finca|rancho|granja|chacra|quinta|municipio|estado|pa[ií]s|extranjero|aqu[ií]|all[aá]|ac[aá]|afuera|lejos|cerca|casa|campo|pueblo|costa|monte|sierra|playa|isla|valle|tratamiento|control|seguimiento|reposo|cama|silla|ruedas|origen|nacimiento|viaje|vacaciones|visita|paso|acuerdo|nuevo|nueva|buena|bueno|mala|malo)$/i;

/**
 * "Bríd Ó Dálaigh", "Guðrún Ósk Sigurðardóttir", "Uxía Rial": in English text, capitalised words spelt with a letter
 * English never uses are a person's or a place's name from another language (both are identifiers), unless clinical
 * ("Ménière's disease", "Sjögren's"). Not in Spanish text, where accents are everywhere.
 */
const FOREIGN_CAPITALS = /(?<![\p{L}\p{N}])\p{Lu}[\p{L}'’-]*(?:[ \t]+\p{Lu}[\p{L}'’-]*){0,3}/gu;

function foreignCapitals(text: string): FoundSpan[] {
  const spans: FoundSpan[] = [];
  for (const hit of text.matchAll(FOREIGN_CAPITALS)) {
    if (!/[^\t\x20-\x7e’]/.test(hit[0])) continue;
    // "Henoch-Schönlein purpura": two names joined before a lower-case noun are a disease's.
    if (/^[^ \t]+-[^ \t]+$/.test(hit[0]) && /^[ \t]+\p{Ll}{4,}/u.test(text.slice(hit.index + hit[0].length))) continue;
    const words = hit[0].split(/[ \t]+/);
    let offset = hit.index;
    const ok = words.every((w) => {
      const start = text.indexOf(w, offset);
      offset = start + w.length;
      return w.length >= 2 && !/^\p{Lu}+$/u.test(w) && !KEPT_PLACES.test(w) && !isClinicalWord(w, text, start, start + w.length) && !/^(?:Dr|Dra|Mr|Mrs|Ms|Sr|Sra|Prof)\.?$/.test(w);
    });
    if (ok) spans.push({ start: hit.index, end: hit.index + hit[0].length, class: "NAME", value: hit[0], priority: 0.5 });
  }
  return spans;
}

export function lowerCaseNamesAndPlaces(text: string, spanish: boolean): FoundSpan[] {
  const spans: FoundSpan[] = spanish ? [] : foreignCapitals(text);
  for (const hit of text.matchAll(INTRODUCED_WITH_AGE)) {
    const value = hit.groups!.v!;
    // "im tired, 2 days", "soy diabético, 45": a state, not a name: no word of the English lists, no Spanish adjective's ending.
    const word = !SPANISH_ADJECTIVE_ENDING.test(value) && unknownWord(value, text, hit.index);
    if (word && !NOT_NAME_ENDING.test(value) && !NOT_NAMES.has(value) && !isClinicalWord(value, text, hit.index, hit.index + value.length)) spans.push({ start: hit.index, end: hit.index + value.length, class: "NAME", value, priority: 1 });
  }
  if (spanish) {
    for (const hit of text.matchAll(SPANISH_HOME)) {
      const value = hit.groups!.v!;
      const words = value.split(/\s+/).filter((w) => !/^(?:de|del|la|los)$/.test(w));
      if (words.some((w) => SPANISH_NOT_TOWNS.test(w) || w.length < 3) || /^(?:de|del|la|los)$/.test(value.split(/\s+/).at(-1)!)) continue;
      const start = hit.index + hit[0].length - value.length;
      spans.push({ start, end: start + value.length, class: "CITY", value, priority: 1 });
    }
    return spans;
  }
  for (const shape of [NAME_BEFORE, SIGNATURE]) {
    for (const hit of text.matchAll(shape)) {
      const value = hit.groups!.v!;
      const start = hit.index + hit[0].length - value.length;
      const surname = value.replace(/^\p{Ll}\.\s?/u, "").replace(/-.*$/, "");
      if (unknownWord(surname, text, start + value.length - surname.length) && !NOT_NAME_ENDING.test(value)) spans.push({ start, end: start + value.length, class: "NAME", value, priority: 1 });
    }
  }
  for (const hit of text.matchAll(NAME_LEAD)) {
    const before = spans.length;
    takeWords(text, hit.index + hit[0].length, "NAME", spans);
    // "reconciled by k. ahmadzai": the initial goes with the surname.
    const initial = /\p{Ll}\.\s?$/u.exec(hit[0]);
    const taken = spans[before];
    if (taken && initial) spans[before] = { ...taken, start: taken.start - initial[0].length, value: text.slice(taken.start - initial[0].length, taken.end) };
  }
  for (const hit of text.matchAll(PLACE_LEAD)) takeWords(text, hit.index + hit[0].length, "CITY", spans);
  return spans;
}
