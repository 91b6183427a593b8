import { isClinicalWord, isNameWord } from "./clinical-terms.js";
import type { FoundSpan } from "./detector.js";
import { firstNameKind } from "./first-names.js";
import { isEnglishWord } from "./vocabulary.js";

/**
 * A name written surname first, as forms, wristbands, bed boards and lab reports print it: the surname in capitals,
 * a comma, then the given names in any case or an initial ("DELA CRUZ, Maria Luzviminda R.", "TAN WEI LING, JASMINE",
 * "KRISTIANSEN, T", "OWUSU-ANSAH, Ebenezer"). The comma after a word in capitals is what says it; a heading in
 * capitals before a comma ("PLAN, Continue", "NOTE, Patient") is told apart by its words: a surname is no English
 * word, or the word after the comma is a first name of the lists.
 */
const SURNAME_FIRST =
  /(?<![\p{L}\p{N}])(?<surname>\p{Lu}{2,}(?:[-'’ ]\p{Lu}{2,}){0,2}),[ \t]*(?<given>\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+){0,2}(?: \p{Lu}\.?)?|\p{Lu}{2,}(?: \p{Lu}{2,}){0,2}(?: \p{Lu}\.?)?|\p{Lu}\.?(?:[ \t]?\p{Lu}\.?)?)(?![\p{L}\p{N}])/gu;

/** Tags of a given name's first word that make it something else: "PLAN, Continue", "RESULT, Normal". */
const NOT_GIVEN_TAGS = /^(?:Verb|Adjective|Adverb|Preposition|Determiner|Pronoun|Conjunction|Value|Date|Month|WeekDay|Expression|Negative|QuestionWord|Auxiliary|Modal|Copula|Gerund|PastTense|Infinitive|Plural)$/;

/** The particles of surnames, which are also function words: "TE WHATA", "DE LA CRUZ", "VAN DER BERG". */
const SURNAME_PARTICLE = /^(?:TE|DE|DA|DI|DU|DEL|DELA|DOS|DAS|LA|LE|EL|AL|VAN|VON|DER|BIN|BINTI|BINTE|ST)$/;

const CREDENTIALS = /(?:[ \t]+(?:MD|DO|RN|NP|PA|PHD|MBBS|MBCHB|DNP|APRN|FNP|DDS|DMD|PHARMD|LPN|RPH|MRCP|FRCP|FRCS|FRACP|FRCPC|MSN|BSN|JR|SR|II|III)\.?)+$/;

/** A word in capitals as it would be written in a sentence: in capitals every word looks like an acronym. */
const asWord = (w: string) => w[0]! + w.slice(1).toLowerCase();

/** "ABUBAKAR Y.", "NGUYEN T.": a surname in capitals and an initial, as a bed board or a list writes a patient. */
// Not an acronym of five letters or fewer ("ESBL E. coli", "MRSA S. aureus"), nor before a species' name in lower case.
const SURNAME_INITIAL = /(?<![\p{L}\p{N}.])(?<surname>\p{Lu}{6,}(?:-\p{Lu}{2,})?|\p{Lu}{2,}-\p{Lu}{2,}) \p{Lu}\.(?![\p{L}\p{N}])(?![ \t]*\p{Ll})/gu;

export function surnameFirstNames(text: string, tagsAt: ReadonlyMap<number, string[]>): FoundSpan[] {
  const spans: FoundSpan[] = [];
  for (const hit of text.matchAll(SURNAME_INITIAL)) {
    const words = hit.groups!.surname!.split("-");
    // No English word, no clinical one and no acronym's letters ("NOTE A.", "HbA1c"): a surname no list has.
    if (words.some((w) => isEnglishWord(w) || isClinicalWord(asWord(w), text, hit.index, hit.index + hit[0].length))) continue;
    spans.push({ start: hit.index, end: hit.index + hit[0].length, class: "NAME", value: hit[0], priority: 1 });
  }
  for (const hit of text.matchAll(SURNAME_FIRST)) {
    const surname = hit.groups!.surname!;
    // "CHAVIS, ANGELA MD": a degree after the given names is no part of them.
    const given = hit.groups!.given!.replace(CREDENTIALS, "");
    const end = hit.index + hit[0].length - (hit.groups!.given!.length - given.length);
    const surnameWords = surname.split(/[-'’ ]/);
    const givenWords = given.split(/[ -]/).map((w) => w.replace(/\.$/, ""));
    const firstGiven = givenWords[0]!;
    const givenStart = end - given.length;
    const initial = firstGiven.length === 1;
    const knownFirst = firstNameKind(firstGiven) === "plain" || tagsAt.get(givenStart)?.includes("FirstName") === true;
    // Every word is no function word and no clinical word ("CBC, Normal", "HIV, Hepatitis").
    const clinical = (w: string) => w.length > 1 && !SURNAME_PARTICLE.test(w) && (!isNameWord(w) || isClinicalWord(asWord(w), text, hit.index, end));
    if (surnameWords.some(clinical) || givenWords.some(clinical)) continue;
    // A short surname in capitals is as often an acronym ("ED, Triage"): four letters at least, in one of its words.
    if (!surnameWords.some((w) => w.length >= 4)) continue;
    const unknownSurname = surnameWords.some((w) => !isEnglishWord(w));
    if (!knownFirst && !unknownSurname) continue;
    // The given name: a first name of the lists, an initial, or a word that is neither English nor tagged as a verb or an adjective.
    const givenOk = knownFirst || initial || (firstNameKind(firstGiven) === "wordLike" && unknownSurname) || (!isEnglishWord(firstGiven) && !tagsAt.get(givenStart)?.some((t) => NOT_GIVEN_TAGS.test(t)));
    if (!givenOk) continue;
    spans.push({ start: hit.index, end, class: "NAME", value: text.slice(hit.index, end), priority: 1 });
  }
  return spans;
}
