import { FIRST_NAMES, WORD_LIKE_FIRST_NAMES } from "./first-names-data.js";

/**
 * First names the recognizer does not know (@faker-js/faker's lists of every locale, ./first-names-data.ts):
 * "Kwame", "Oluwaseun", "Maeve", "raju". A plain one is a name wherever it is capitalised; a word-like one
 * ("ray", "rosa") only where a frame says a name follows ("dad ray").
 */
let sets: { plain: Set<string>; wordLike: Set<string> } | undefined;

/** Spanish short forms, which no register lists: "Concha" (Concepción), "Chelo" (Consuelo), "Santi" (Santiago). */
const SPANISH_SHORT_FORMS =
  "concha|conchi|chelo|santi|paco|pepe|lola|charo|nacho|quique|manolo|pili|maite|merche|fina|tere|toñi|toni|juanjo|chema|chus|curro|kike|lupe|lupita|chuy|memo|pancho|beto|nando|rafa|javi|migue|guille|chelito|conchita|pepa|pepita|paqui|encarna|reme|rosi|mari|marisa|chon|chencho|chava|chayo|chela|lencho|nati|tito|neto|lalo|lulu|yoli|vero|lore|montse|nuria|txema|iñaki";

export function firstNameKind(word: string): "plain" | "wordLike" | undefined {
  // Built on first use: 11,000 strings are split only when a text is first de-identified.
  sets ??= { plain: new Set([...FIRST_NAMES.split("|"), ...SPANISH_SHORT_FORMS.split("|")]), wordLike: new Set(WORD_LIKE_FIRST_NAMES.split("|")) };
  const key = word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  return sets.plain.has(key) ? "plain" : sets.wordLike.has(key) ? "wordLike" : undefined;
}
