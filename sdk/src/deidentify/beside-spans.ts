// Identifiers found beside others the rules or the recognizer already found: the town after a facility, a street or
// before a postal code (and the postal code after a town), the age right after a name, and the first name or
// surname beside a name. Each takes the spans found so far and returns only the new ones (./find.ts merges them).
import { ENGLISH_WORDS, isClinicalWord, SPANISH_WORDS } from "./clinical-terms.js";
import type { FoundSpan } from "./detector.js";
import { firstNameKind } from "./first-names.js";
import { isGazetteerPlace } from "./gazetteer.js";
import { KEPT_PLACES } from "./places.js";
import { isSpecialty } from "./specialties.js";

/**
 * "Hospital Virgen del Rocío, Sevilla", "42 Elm Street, Springfield": the capitalised place after a facility
 * or a street; "Wellington 6011": the postal code after a city.
 */
export function citiesAfterAddresses(text: string, spans: readonly FoundSpan[], spanish: boolean): FoundSpan[] {
  const cities: FoundSpan[] = [];
  // Cities found here are looked at too (their postal code follows), so the list grows while it is read.
  const all = [...spans];
  for (const span of all) {
    if (span.class === "CITY") {
      // "41001 Sevilla", "Sevilla (41001)": a postal code right before a town, or in brackets after it.
      const before = /(?<![\d.,/-])(\d{5})[ \t]+$/.exec(text.slice(Math.max(0, span.start - 8), span.start));
      if (before) cities.push({ start: span.start - before[0].length, end: span.start - before[0].length + 5, class: "ZIP", value: before[1]!, priority: 1 });
      // "08770 Sant Sadurní d'Anoia", "28801 Alcalá de Henares": after a postal code, the town runs on through "d'" or "de" and a capital.
      const tail = before && /^[ \t]+(?:d['’]|de[ \t]+|del[ \t]+|de la[ \t]+)\p{Lu}[\p{L}'’-]+/u.exec(text.slice(span.end, span.end + 40));
      if (tail) cities.push({ start: span.start, end: span.end + tail[0].length, class: "CITY", value: text.slice(span.start, span.end + tail[0].length), priority: 1 });
      // Argentina's postal code carries its province's letter: "Córdoba (X5000)".
      const bracketed = /^\s*\(\s*([A-Z]?\d{4,5}(?:[A-Z]{3})?)\s*\)/.exec(text.slice(span.end, span.end + 16));
      if (bracketed) cities.push({ start: span.end + bracketed[0].indexOf(bracketed[1]!), end: span.end + bracketed[0].indexOf(bracketed[1]!) + bracketed[1]!.length, class: "ZIP", value: bracketed[1]!, priority: 1 });
      const zip = /^\s*,?\s*(\d{4,6})(?![\d%/]|[.,]\d)(?!\s*(?:mg|ml|units?|iu|steps|pasos|patients|pacientes))/i.exec(text.slice(span.end, span.end + 20));
      if (zip) cities.push({ start: span.end + zip[0].length - zip[1]!.length, end: span.end + zip[0].length, class: "ZIP", value: zip[1]!, priority: 1 });
    }
    if (span.class === "ZIP") {
      // "Bath BA2 4QT", "Leeds, LS1 3EX": the capitalised words right before a postal code are its town.
      const before = /(?<![\p{L}\p{N}'’-])(\p{Lu}[\p{Ll}'’-]+(?:[ \t]+\p{Lu}[\p{Ll}'’-]+){0,2}),?[ \t]+$/u.exec(text.slice(Math.max(0, span.start - 40), span.start));
      if (before && !KEPT_PLACES.test(before[1]!) && !/^(?:Eircode|Postcode|Post Code|Zip|Zipcode|Postal Code)$/i.test(before[1]!) && !before[1]!.split(/\s+/).some((w) => isClinicalWord(w, text, span.start - before[0].length, span.start))) {
        const start = span.start - before[0].length;
        cities.push({ start, end: start + before[1]!.length, class: "CITY", value: before[1]!, priority: 1 });
      }
      // "kemptville on k0g 1j0", "artarmon nsw 2064": a town in any case before a province's or state's code.
      const town = /(?<![\p{L}\p{N}'’-])(\p{L}[\p{L}'’-]{2,}),?[ \t]+(?:on|qc|bc|ab|mb|sk|ns|nb|nl|pe|nsw|vic|qld|tas|act)\.?,?[ \t]+$/iu.exec(text.slice(Math.max(0, span.start - 40), span.start));
      if (town && !before && !ENGLISH_WORDS.has(town[1]!.toLowerCase()) && !SPANISH_WORDS.has(town[1]!.toLowerCase())) {
        const start = span.start - town[0].length;
        cities.push({ start, end: start + town[1]!.length, class: "CITY", value: town[1]!, priority: 1 });
      }
    }
    if (span.class !== "FACILITY" && span.class !== "STREET") continue;
    // "el carrefour de alcorcón", "the Tesco in reading": a town of the gazetteer after a facility, in any case.
    const town = /^[ \t]+(?:de|del|in|en|of)[ \t]+(\p{L}[\p{L}'’-]+(?:[ \t]+\p{L}[\p{L}'’-]+){0,2})/u.exec(text.slice(span.end, span.end + 60));
    if (town) {
      const words = town[1]!.split(/[ \t]+/);
      for (let n = words.length; n > 0; n--) {
        const name = words.slice(0, n).join(" ");
        if (!isGazetteerPlace(name, spanish) || KEPT_PLACES.test(name)) continue;
        const start = span.end + town[0].length - town[1]!.length;
        cities.push({ start, end: start + name.length, class: "CITY", value: name, priority: 1 });
        break;
      }
    }
    const after = /^[ \t]*,[ \t]*(\p{Lu}[\p{L}'’-]+(?![\p{L}\p{N}'’-])(?:[ \t]+\p{Lu}[\p{L}'’-]+(?![\p{L}\p{N}'’-])){0,2})/u.exec(text.slice(span.end));
    // ", Col. del Valle": an abbreviation that announces a neighbourhood (found by its own rule) is no city; nor is
    // ", Ward 4C": a part of the hospital.
    // An acronym after the comma is a code's label ("CIP RJOR480611"), not a town.
    if (!after || KEPT_PLACES.test(after[1]!) || isSpecialty(after[1]!) || /^(?:col|colonia|fracc|barrio|bo|int|depto|dpto|ward|bed|room|unit|floor|level|bay|suite|wing|building|block)$/i.test(after[1]!) || /^\p{Lu}{2,5}$/u.test(after[1]!)) continue;
    const start = span.end + after[0].length - after[1]!.length;
    const city: FoundSpan = { start, end: start + after[1]!.length, class: "CITY", value: after[1]!, priority: 1 };
    cities.push(city);
    all.push(city);
  }
  return cities;
}

/** "my nan edna 99 fell", "mum pat 94 in hospital": a number of 90 to 119 right after a person's name is their age. */
export function agesAfterNames(text: string, spans: readonly FoundSpan[]): FoundSpan[] {
  const ages: FoundSpan[] = [];
  for (const span of spans) {
    if (span.class !== "NAME") continue;
    const age = /^\s*,?\s*\(?\s*(9\d|1[01]\d)(?![\d.,:/%])(?!\s*(?:mg|mcg|kg|lbs?|pounds|%|mmhg|bpm|beats|units?|ml|cm|mm|min|minutes|over|sec|seconds|x|times|\/))/i.exec(text.slice(span.end, span.end + 16));
    if (age) ages.push({ start: span.end + age[0].length - age[1]!.length, end: span.end + age[0].length, class: "AGE", value: age[1]!, priority: 4 });
  }
  return ages;
}

/** What follows a name in capitals and is no surname: a verb or a function word ("MY DAD GERALD HAS"). */
const NOT_SURNAME = /^(?:HAS|HAD|HAVE|IS|WAS|WHO|AND|WITH|FROM|THE|A|AN|IN|ON|AT|TO|OF|FOR|SINCE|BUT|OR|GOT|FELL|TIENE|TEN[IÍ]A|HA|ES|EST[AÁ]|ERA|FUE|QUE|Y|CON|DE|DEL|EN|SE|NO|LE|LA|EL|DESDE|PERO|O)$/;

/**
 * "Parents Aoife and Ciarán Kavanagh": a first name of the lists joined to a full name shares its surname;
 * "MY DAD GERALD PIKE HAS", "MI MADRE ASUNCIÓN PÉREZ,": in text typed in capitals, the next word in capitals after a
 * name is its surname when a verb, a function word or a stop comes after it.
 */
export function namesBesideNames(text: string, spans: readonly FoundSpan[]): FoundSpan[] {
  const found: FoundSpan[] = [];
  for (const span of spans) {
    if (span.class !== "NAME") continue;
    if (/\s/.test(span.value)) {
      const joined = /(?<![\p{L}\p{N}])(\p{Lu}\p{Ll}+)[ \t]+(?:and|&|y|e)[ \t]+$/u.exec(text.slice(Math.max(0, span.start - 30), span.start));
      const word = joined?.[1]!.toLowerCase() ?? "";
      // A first name of the lists, or a capitalised word no dictionary has ("Aoife"), and no clinical word.
      if (joined && (firstNameKind(word) === "plain" || (!ENGLISH_WORDS.has(word) && !SPANISH_WORDS.has(word))) && !isClinicalWord(joined[1]!, text, span.start - joined[0].length, span.start)) {
        const start = span.start - joined[0].length;
        found.push({ start, end: start + joined[1]!.length, class: "NAME", value: joined[1]!, priority: 1 });
      }
    }
    if (/^[\p{Lu}\s'’-]+$/u.test(span.value) && /\p{Lu}{2}/u.test(span.value)) {
      const next = /^[ \t]+(\p{Lu}{2,}(?:[-'’]\p{Lu}+)?)(?=[ \t]*[,.;!?](?!\d)|[ \t]+(\p{Lu}+)\b)/u.exec(text.slice(span.end, span.end + 40));
      if (next && !NOT_SURNAME.test(next[1]!) && (next[2] === undefined || NOT_SURNAME.test(next[2]))) {
        const start = span.end + next[0].length - next[1]!.length;
        found.push({ start, end: start + next[1]!.length, class: "NAME", value: next[1]!, priority: 1 });
      }
    }
  }
  return found;
}
