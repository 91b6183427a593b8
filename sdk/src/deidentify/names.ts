import nlp from "compromise";
import { DRUGS, ENGLISH_WORDS, EPONYM_HEADS, EPONYM_LEADS, EPONYMS, EPONYMS_IN_CONTEXT, NOT_NAMES, SPANISH_WORDS } from "./clinical-terms.js";
import type { FoundSpan } from "./detector.js";
import { KEPT_PLACES } from "./places.js";

/**
 * People and places by a named-entity recognizer that runs offline in browsers and Node: compromise
 * (its lexicon knows first and last names of many languages, cities, honorifics), then frames that
 * catch what it misses ("Dr. Okafor", "my daughter Ana", "soy juan", "Paciente: ..."). Eponyms and
 * drugs are vetoed (./clinical-terms.ts).
 */

interface Term {
  text: string;
  tags: string[];
  offset: { start: number; length: number };
}
interface Match {
  terms: Term[];
}

const TITLE = /^(?:dr|dra|doctor|doctora|mr|mrs|ms|miss|mx|prof|professor|sr|sra|srta|don|doña|dña|nurse|rn|np|pa|rev|sister|sor|fr|enfermer[oa]|lic|ing)$/i;

/** Whether a word at `start..end` of `text` is clinical vocabulary rather than somebody's name. */
export function isClinicalWord(word: string, text: string, start: number, end: number): boolean {
  const lower = word.toLowerCase().replace(/[’]/g, "'");
  const bare = lower.replace(/'s?$/, "");
  if (EPONYMS.has(lower) || EPONYMS.has(bare) || DRUGS.has(bare) || NOT_NAMES.has(bare)) return true;
  if (/^\p{Lu}{2,}\d*$/u.test(word) && word.length <= 5) return true; // an acronym: ECG, HbA1c is caught above
  const after = text.slice(end, end + 40);
  const before = text.slice(Math.max(0, start - 40), start);
  if (EPONYMS_IN_CONTEXT.has(bare) || /^\p{Lu}/u.test(word)) {
    // "Down syndrome", "Bell's palsy", "síndrome de Down", "Parkinson-like"
    const next = after.replace(/^(?:[-\s]+\p{Lu}[\p{L}'’]*)*/u, "");
    if (EPONYM_HEADS.test(next) || EPONYM_LEADS.test(before)) return true;
  }
  // "Keppra 500 mg": a dose after it makes it a drug.
  return /^\s*\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ug|g|ml|units?|iu|ui|puffs?|tabs?|comprimidos?)\b/i.test(after);
}

const isNameWord = (word: string): boolean => !ENGLISH_WORDS.has(word.toLowerCase()) && !SPANISH_WORDS.has(word.toLowerCase());

/** Contiguous runs of accepted terms as spans; a rejected term splits a run. */
function spansOfTerms(text: string, terms: Term[], spanClass: "NAME" | "CITY", keep: (term: Term) => boolean): FoundSpan[] {
  const spans: FoundSpan[] = [];
  let run: Term[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const start = run[0]!.offset.start;
    const last = run.at(-1)!;
    const end = last.offset.start + last.offset.length;
    spans.push({ start, end, class: spanClass, value: text.slice(start, end), priority: 1 });
    run = [];
  };
  for (const term of terms) {
    const previous = run.at(-1);
    const contiguous = !previous || /^[\s'’-]*$/.test(text.slice(previous.offset.start + previous.offset.length, term.offset.start));
    if (!contiguous) flush();
    if (keep(term)) run.push(term);
    else flush();
  }
  flush();
  return spans;
}

type Doc = ReturnType<typeof nlp>;

function recognized(text: string, doc: Doc): FoundSpan[] {
  const options = { offset: true, terms: { offset: true } } as const;
  const people = (doc.people().json(options) as Match[]).flatMap((match) =>
    spansOfTerms(text, match.terms, "NAME", (term) => {
      const word = text.substr(term.offset.start, term.offset.length);
      if (TITLE.test(word.replace(/\.$/, "")) || term.tags.includes("Honorific")) return false;
      return /\p{L}{2,}/u.test(word) && isNameWord(word) && !isClinicalWord(word, text, term.offset.start, term.offset.start + term.offset.length);
    }),
  );
  const places = (doc.places().json(options) as Match[]).flatMap((match) =>
    spansOfTerms(text, match.terms, "CITY", (term) => {
      const word = text.substr(term.offset.start, term.offset.length);
      if (term.tags.includes("Country") || term.tags.includes("Region") || KEPT_PLACES.test(word.replace(/[.,]$/, ""))) return false;
      return /\p{L}{3,}/u.test(word) && isNameWord(word) && !isClinicalWord(word, text, term.offset.start, term.offset.start + term.offset.length);
    }),
  ).filter((span) => !KEPT_PLACES.test(span.value));
  return [...people, ...places];
}

const NAME_TOKEN = String.raw`\p{L}[\p{L}\p{M}'’-]*`;
const JOINER = String.raw`(?:\s+(?:de|del|de la|de los|van|von|der|da|di|du|le|la|y|e|bin|ibn|al|el)(?=\s+\p{Lu}))?`;
const TOKENS = String.raw`(?<v>${NAME_TOKEN}(?:${JOINER}\s+${NAME_TOKEN}){0,3})`;

/** Where a name follows: a title, a family relation, an introduction, a form label, a greeting. */
const FRAMES: { lead: RegExp; anyCase: boolean }[] = [
  { lead: /\b(?:dr|dra|doctor|doctora|mr|mrs|ms|miss|mx|prof|sr|sra|srta|don|doña|dña|nurse|enfermer[oa]|rn|np)\.?\s+/giu, anyCase: true },
  {
    lead: /\b(?:wife|husband|son|daughter|mother|mom|mum|father|dad|brother|sister|partner|grandson|granddaughter|grandma|grandpa|grandmother|grandfather|niece|nephew|aunt|uncle|caregiver|carer|friend|neighbou?r|boyfriend|girlfriend|fianc[ée]e?|cousin|hijo|hija|madre|mam[áa]|padre|pap[áa]|esposo|esposa|marido|mujer|hermano|hermana|nieto|nieta|sobrin[oa]|t[ií][oa]|abuel[oa]|cuidador[a]?|pareja|novi[oa]|amig[oa]|vecin[oa]|prim[oa]|referring|attending|surgeon|gp|pcp|cardiologist|oncologist|therapist|pediatrician|midwife|matrona|médic[oa]|medic[oa]|pediatra)(?:'s)?,?\s+(?:named\s+|called\s+|llamad[oa]\s+|is\s+|es\s+)?/giu,
    anyCase: false,
  },
  { lead: /\b(?:my name is|name's|i am|i'm|im|this is|it's|its|soy|me llamo|mi nombre es|se llama|named|called|llamad[oa])\s+/giu, anyCase: false },
  { lead: /(?:^|\n|[.;]\s*)(?:patient|pt|name|patient name|full name|nombre|paciente|nombre del paciente|signed|firmado|firma|from|to|de|para|attn|cc|re|contact|contacto|emergency contact|next of kin|nok|informant)\s*:\s*/giu, anyCase: true },
  { lead: /(?:^|\n|[.;!]\s*)(?:dear|estimad[oa]|querid[oa]|hi|hello|hey|hola|thanks|thank you|gracias|regards|saludos|atentamente|sincerely|un saludo|best|cheers|love|besos|abrazos)\s*[:,]?\s+/giu, anyCase: false },
  { lead: /\b(?:seen by|reviewed by|dictated by|referred by|signed by|examined by|visto por|atendid[oa] por|remitid[oa] por|derivad[oa] por|firmado por|with|con|and|y|to|para|by|por)\s+(?:dr|dra|doctor|doctora)\.?\s+/giu, anyCase: true },
];

/** Frames: each token must be capitalised, or (in frames that allow it) any word that is no function word. */
function framed(text: string, personLike: Set<string>): FoundSpan[] {
  const spans: FoundSpan[] = [];
  const candidate = new RegExp(`(?<![\\p{L}\\p{N}])${TOKENS}`, "gu");
  for (const frame of FRAMES) {
    for (const hit of text.matchAll(frame.lead)) {
      const from = hit.index + hit[0].length;
      candidate.lastIndex = from;
      const name = candidate.exec(text);
      if (!name || name.index !== from) continue;
      let end = from;
      let offset = from;
      for (const word of name.groups!.v!.split(/(\s+)/)) {
        const start = offset;
        offset += word.length;
        if (/^\s+$/.test(word) || /^(?:de|del|la|los|van|von|der|da|di|du|le|y|e|bin|ibn|al|el)$/i.test(word)) continue;
        const clean = word.replace(/['’]s$/, "");
        const capital = /^\p{Lu}/u.test(word);
        const ok =
          isNameWord(clean) &&
          !TITLE.test(clean) &&
          !isClinicalWord(clean, text, start, start + clean.length) &&
          (capital ? true : frame.anyCase ? clean.length >= 3 : personLike.has(clean.toLowerCase()));
        if (!ok) break;
        end = start + clean.length;
      }
      if (end > from) spans.push({ start: from, end, class: "NAME", value: text.slice(from, end), priority: 2 });
    }
  }
  return spans;
}

/** Names and places in one text. */
export function findNamesAndPlaces(text: string): FoundSpan[] {
  const doc = nlp(text);
  const found = recognized(text, doc);
  // Lower-case words the recognizer tagged as first or last names, for the frames that need a name-like word.
  const personLike = new Set<string>();
  for (const term of (doc.match("(#FirstName|#LastName|#Person)").json({ terms: { offset: true } }) as Match[]).flatMap((m) => m.terms)) {
    personLike.add(term.text.toLowerCase().replace(/[^\p{L}'’-]/gu, ""));
  }
  return [...found, ...framed(text, personLike)];
}
