import nlp from "compromise";
import { DRUGS, EPONYMS, isClinicalWord, isNameWord, NOT_NAMES } from "./clinical-terms.js";
import { affiliationsAfterClinicians, organisations, placesAfterCues, saintsPlaces, TITLE, type Term } from "./cues.js";
import { pieces, type FoundSpan } from "./detector.js";
import { firstNameKind } from "./first-names.js";
import { KEPT_PLACES } from "./places.js";
import { surnameFirstNames } from "./surname-first.js";

/**
 * People and places by a named-entity recognizer that runs offline in browsers and Node: compromise
 * (its lexicon knows first and last names of many languages, cities, honorifics), then frames that
 * catch what it misses ("Dr. Okafor", "my daughter Ana", "soy juan", "Paciente: ..."). Eponyms and
 * drugs are vetoed (./clinical-terms.ts).
 */

interface Match {
  terms: Term[];
}

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

/**
 * "Marguerite Bellamy", "Ellen Ward,": a capitalised word right after a first name the recognizer knows is the
 * surname, though the recognizer tags it otherwise (an organisation) or it is a word a name rarely is ("Ward"),
 * unless it is a place, an eponym, a drug, a verb or a department ("Grace Hospital" is found as a facility).
 */
function surnamesAfterFirstNames(text: string, terms: Term[]): Set<Term> {
  const surnames = new Set<Term>();
  for (let i = 1; i < terms.length; i++) {
    const [first, term] = [terms[i - 1]!, terms[i]!];
    const word = text.substr(term.offset.start, term.offset.length);
    if (!first.tags.includes("FirstName") || !/^\p{Lu}\p{Ll}+$/u.test(word) || !/^\p{Lu}\p{Ll}/u.test(first.text)) continue;
    if (text.slice(first.offset.start + first.offset.length, term.offset.start) !== " " || !isNameWord(word) || TITLE.test(word)) continue;
    // An adjective capitalised after a first name is a surname the recognizer guessed from its ending ("Bellamy").
    if (term.tags.some((t) => (NOT_NAME_TAGS.test(t) && t !== "Adjective") || /^(?:Place|Country|Region|City|Month|WeekDay|Honorific)$/.test(t)) || KEPT_PLACES.test(word)) continue;
    const lower = word.toLowerCase();
    const clinical = isClinicalWord(word, text, term.offset.start, term.offset.start + word.length);
    // A word of NOT_NAMES ("Ward", "Staff") only as the last word before a stop: "Ellen Ward, Kingsway".
    if (clinical && (EPONYMS.has(lower) || DRUGS.has(lower) || !NOT_NAMES.has(lower) || DEPARTMENT_WORDS.test(lower) || !/^\s*[,.;)]/.test(text.slice(term.offset.start + word.length)))) continue;
    surnames.add(term);
  }
  return surnames;
}

/** Words of NOT_NAMES that are never a surname. */
const DEPARTMENT_WORDS = /^(?:hospital|clinic|pharmacy|lab|laboratory|medicine|surgery|emergency|department|unit|icu|er|ed|cardiology|neurology|oncology|radiology|dermatology|pediatrics|psychiatry|urology|genetics|nephrology|team|staff|doctor|nurse|patient)$/;

/** People and places the recognizer tagged, from one pass over its terms (its people() and places() cost twice as much). */
function recognized(text: string, terms: Term[]): FoundSpan[] {
  const wordOf = (term: Term) => text.substr(term.offset.start, term.offset.length);
  const clinical = (term: Term) => isClinicalWord(wordOf(term), text, term.offset.start, term.offset.start + term.offset.length);
  const surnames = surnamesAfterFirstNames(text, terms);
  const people = spansOfTerms(text, terms, "NAME", (term) => {
    const word = wordOf(term);
    if (surnames.has(term)) return true;
    if (!term.tags.includes("Person") || term.tags.includes("Honorific") || TITLE.test(word.replace(/\.$/, ""))) return false;
    // "en la cara", "the will": a lower-case word after an article is a noun, whatever the lexicon says.
    if (/^\p{Ll}/u.test(word) && /\b(?:la|el|los|las|un|una|the|a|an|this|that|mi|tu|su)\s+$/i.test(text.slice(Math.max(0, term.offset.start - 8), term.offset.start))) return false;
    return /\p{L}{2,}/u.test(word) && isNameWord(word) && !clinical(term);
  });
  const places = spansOfTerms(text, terms, "CITY", (term) => {
    const word = wordOf(term);
    if (!term.tags.includes("Place") || term.tags.includes("Country") || term.tags.includes("Region") || KEPT_PLACES.test(word.replace(/[.,]$/, ""))) return false;
    if (!/^\p{Lu}/u.test(word) && !term.tags.includes("City")) return false;
    return /\p{L}{3,}/u.test(word) && isNameWord(word) && !clinical(term);
  }).filter((span) => !KEPT_PLACES.test(span.value));
  return [...people, ...places];
}

const NAME_TOKEN = String.raw`\p{L}[\p{L}\p{M}'’-]*`;
// "Nur Aisyah binte Rahmat", "Rhys ap Gwilym": Malay and Welsh patronymic particles join a name too.
const JOINER = String.raw`(?:\s+(?:de|del|de la|de los|van|von|der|da|di|du|le|la|y|e|bin|binti|binte|bte|ibn|ap|al|el)(?=\s+\p{Lu}))?`;
const TOKENS = String.raw`(?<v>${NAME_TOKEN}(?:${JOINER}\s+${NAME_TOKEN}){0,3})`;

/**
 * Where a name follows: a title, a family relation, an introduction, a form label, a greeting. `accepts`
 * says which lower-case words may be the name: any ("dr patel"), name-like ones (not a verb or an
 * adjective: "this is priya", not "this is serious"), or only words the recognizer knows as names.
 */
type LowerCase = "any" | "nameLike" | "known";
const FRAMES: { lead: RegExp; lowerCase: LowerCase; wordLikeNames?: boolean }[] = [
  { lead: /\b(?:dr|dra|drs|mr|mrs|ms|mx|sr|sra|srta|dña|dª|d\.ª|doc|prof)\.?\s+/giu, lowerCase: "any" },
  { lead: /\b(?:doctor|doctora|miss|don|doña|nurse|enfermer[oa]|rn|np|professor)\s+/giu, lowerCase: "known" },
  {
    lead: /\b(?:(?:father|mother|son|daughter|brother|sister)-in-law|step(?:son|daughter|mother|father|mom|dad)|wife|husband|son|daughter|mother|mom|mum|father|dad|brother|sister|partner|grandson|granddaughter|grandma|grandpa|grandmother|grandfather|niece|nephew|aunt|uncle|caregiver|carer|friend|coach|trainer|teacher|tutor|pastor|reverend|officer|captain|sergeant|sgt|boss|manager|supervisor|counsel(?:l)?or|social worker|caseworker|case manager|landlord|landlady|aide|roommate|flatmate|housemate|babysitter|nanny|entrenador[a]?|profesor[a]?|maestr[oa]|jef[ea]|compañer[oa]|neighbou?r|boyfriend|girlfriend|fianc[ée]e?|cousin|hijo|hija|ni[ñn]o|ni[ñn]a|nen[ea]|beb[eé]|madre|mam[áa]|padre|pap[áa]|esposo|esposa|marido|mujer|hermano|hermana|nieto|nieta|sobrin[oa]|t[ií][oa]|abuel[oa]|cuidador[a]?|suegr[oa]|yerno|nuera|cuñad[oa]|pareja|novi[oa]|amig[oa]|vecin[oa]|prim[oa]|referring|attending|surgeon|gp|pcp|cardiologist|oncologist|neurologist|endocrinologist|therapist|pediatrician|pharmacist|midwife|matrona|médic[oa]|medic[oa]|pediatra)(?:'s)?(?:\s*\(\s*|,?\s+)(?:named\s+|called\s+|llamad[oa]\s+|is\s+|es\s+)?/giu,
    lowerCase: "known",
    // "dad ray", "mi hija rosa": after a family word, a first name that is also a word ("nurse line" is none).
    wordLikeNames: true,
  },
  { lead: /\b(?:my name is|my name's|name is|me llamo|mi nombre es|se llama|named|called|llamad[oa])\s+/giu, lowerCase: "any" },
  // "name on card t. lombardozzi", "name on the booking is": the name a card, file or form carries.
  { lead: /\bname\s+on\s+(?:the\s+|my\s+|his\s+|her\s+)?(?:card|file|account|booking|form|claim|prescription|script|label|bottle|referral|policy)\s*(?:is\s+|:\s*|-\s*)?/giu, lowerCase: "nameLike" },
  // A nickname said as one: "goes by Bex", "known as jojo", "le dicen Chema".
  { lead: /\b(?:goes by|go by|known as|aka|a\.k\.a\.?|nicknamed|nickname is|nickname's|prefers to be called|le dicen|le llaman|le llamamos|apodad[oa])\s+/giu, lowerCase: "any" },
  { lead: /\b(?:this is|it's|it’s|its|here is|here's)\s+/giu, lowerCase: "nameLike" },
  { lead: /\b(?:i am|i'm|i’m|im)\s+/giu, lowerCase: "known" },
  { lead: /\b(?:soy)\s+/giu, lowerCase: "known" },
  { lead: /(?:^|\n|[.;]\s*)(?:patient|pt|name|patient name|full name|nombre|paciente|nombre del paciente|signed|firmado|firma|from|to|de|para|attn|cc|re|contact|contacto|emergency contact|next of kin|nok|informant|parent(?:\s*\/\s*guardian)?|guardian|legal guardian|mother|father|madre|padre|tutor(?:a)?(?:\s+legal)?|client|resident|carer|caregiver|child|baby|infant|neonate|ni[ñn][oa]|hij[oa]|member(?:\s+name)?|policy\s*holder|insured|subscriber|veteran|donor|recipient|deceased|student|employee|applicant|claimant|beneficiary|nic|nurse in charge|charge nurse|prescriber|pharmacist|midwife|gp|doctor|m[eé]dic[oa]|enfermer[oa])\s*:\s*(?:(?:mr|mrs|ms|miss|mx|sr|sra)\.?\s+)?/giu, lowerCase: "any" },
  { lead: /(?:^|\n|[.;:"“]\s*)(?:pt|patient|paciente)\s+/giu, lowerCase: "known" },
  { lead: /(?:^|\n|[.;!]\s*)(?:dear|estimad[oa]|querid[oa]|hi|hello|hey|hola|thanks|thank you|gracias|regards|saludos|atentamente|sincerely|un saludo|best|cheers|love|besos|abrazos)\s*[:,]?\s+/giu, lowerCase: "known" },
  { lead: /\b(?:spoke|speak|speaking|spoken|talked|talking|discussed|discussion|called|phoned|met|meeting|accompanied|visited|hablé|hablamos|habló|acompañad[oa])\s+(?:with|to|by|con|por)\s+(?:(?:the\s+)?(?:patient|pt)(?:'s)?\s+(?:\p{L}+\s+)?)?/giu, lowerCase: "known" },
  { lead: /\b(?:the\s+)?(?:patient|pt|paciente)\s*,\s*/giu, lowerCase: "known" },
  { lead: /\b(?:summary|note|letter|report|referral|results?|prescription|consult(?:ation)?|informe|receta)\s+(?:for|on|about|re:?|regarding|de|para)\s+/giu, lowerCase: "known" },
  { lead: /\b(?:ordering|attending|referring|primary|treating|requesting|solicitante)?\s*(?:provider|physician|clinician|surgeon|consultant|m[eé]dic[oa]|pathologist|radiologist|dentist|optometrist|physiotherapist|physio|dietitian|audiologist|psychologist|psychiatrist|podiatrist|pat[oó]log[oa]|radi[oó]log[oa]|dentista)\s*:?\s+/giu, lowerCase: "known" },
  { lead: /\b(?:seen by|reviewed by|dictated by|referred by|signed by|examined by|read back by|visto por|atendid[oa] por|remitid[oa] por|derivad[oa] por|firmado por)\s+/giu, lowerCase: "known" },
  {
    lead: /\b(?:seeing|see|saw|review|reviewing|refer|referring|accepting|assess|assessing|evaluate|evaluating|examine|examined|treat|treating|admit|admitted|admitting|discharge|discharged|contact|contacted|ask|asked|tell|told|thank|thanked|meet|met|remito a|remitimos a|derivo a|valorar a|ver a|valore a|atender a)\s+(?:(?:mrs|mr|ms|miss|sr|sra)\.?\s+)?(?:(?:la|el)\s+paciente\s+|(?:the|this|our)\s+patient\s+|(?:mi|nuestr[oa])\s+paciente\s+)?/giu,
    lowerCase: "known",
  },
];

/** Spanish family words: after them a word-like name is more often a verb ("mi papá vive", "mi hijo tiene"). */
const SPANISH_RELATION = /(?:hij[oa]|ni[ñn][oa]|nen[ea]|beb[eé]|madre|mam[áa]|padre|pap[áa]|espos[oa]|marido|mujer|herman[oa]|niet[oa]|sobrin[oa]|t[ií][oa]|abuel[oa]|cuidador[a]?|suegr[oa]|yerno|nuera|cuñad[oa]|pareja|novi[oa]|amig[oa]|vecin[oa]|prim[oa]|pediatra|matrona)\W*$/iu;

/** A verb right after a word: "(abuela) remedios vive", "(hijo) nacho tiene". */
const SPANISH_VERB_AFTER = /^\s+(?:vive|viv[ií]a|tiene|ten[ií]a|est[aá]|estaba|es|era|fue|se|ha|hab[ií]a|dice|dijo|toma|tom[oó]|sufre|lleva|llevaba|anda|sigue|muri[oó]|falleci[oó]|cay[oó]|padece|necesita|quiere|no)(?![\p{L}])/iu;
/** What comes between a family word and a verb and is no name: "mi hijo mayor tiene", "mi madre ya no". */
const SPANISH_NOT_NAMES = /^(?:mayor|menor|pequeñ[oa]|peque|mediano|mediana|chiquit[oa]|beb[eé]|reci[eé]n|tambi[eé]n|todav[ií]a|siempre|nunca|ahora|ayer|hoy|mañana|solo|s[oó]lo|casi|ya|que|quien|tambien|mism[oa]|entonces|aun|a[uú]n|actualmente|igual)$/i;

/** Tags of lower-case words that are not names: "this is serious", "I'm tired". */
const NOT_NAME_TAGS = /^(?:Verb|Adjective|Adverb|Preposition|Determiner|Pronoun|Conjunction|Value|Date|Month|WeekDay|Expression|Negative|QuestionWord|Auxiliary|Modal|Copula|Gerund|PastTense|Infinitive|Plural)$/;

/** Name-shaped sequences the recognizer may not know: "T. Nguyen", "Crystal Dawson, 38 F", "Nerea Aguirre, de 16 años". */
const SHAPED: RegExp[] = [
  // "pt g. fernandes", "dr j. smith", "name on card t. okafor": an initial and a surname in lower-case typing, after a title.
  /(?<=\b(?:pt|patient|dr|mr|mrs|ms|sr|sra|name\s+on\s+(?:the\s+)?(?:card|file|booking|account)\s*(?:is|:)?)\.?\s+)\p{Ll}\.\s?\p{Ll}[\p{Ll}'’-]{2,}/gu,
  // "Patient Huang, Mei-Ling", "Name SMITH, JOHN A": last name, comma, first name after a form label.
  // "Patient: Ms TRAN, Bich Ngoc", "LifeLabs report: Singh, Harpreet K.": a title may come between, two given names after.
  /(?<=\b(?:[Pp]atient|PATIENT|[Pp]t|[Nn]ame|NAME|[Pp]aciente|[Nn]ombre|[Pp]rovider|[Pp]hysician|[Oo]rdering|[Rr]eferring|[Aa]ttending|[Ss]olicitante|[Rr]eport|[Rr]e|RE|[Gg]uardian|[Pp]arent|[Cc]lient|[Rr]esident)\s*:?\s*(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sr|Sra)\.?\s+)?)\p{Lu}[\p{L}'’-]+,\s*\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{Ll}'’-]+)?(?:\s+\p{Lu}\.?(?![\p{L}]))?/gu,
  // "Rangi Parata NHI ZKT8842", "Femi Adeyemi DOB ...": a person's capitalised name right before one of their identifiers.
  /(?<![\p{L}\p{N}])\p{Lu}\p{Ll}[\p{L}'’-]+(?:\s+\p{Lu}\p{Ll}[\p{L}'’-]+){1,2}(?=,?\s+(?:NHI|MRN|NHS|DOB|D\.O\.B|HCN|PHN|URN|IHI|AHCIP|RAMQ|OHIP|PPSN?|SSN|DNI|NIE|CURP|NSS|TIS|CIP|NHC)\b)/gu,
  /(?<![\p{L}\p{N}.])\p{Lu}\.\s?(?:\p{Lu}\.\s?)?\p{Lu}\p{Ll}[\p{L}'’-]+/gu,
  // "Mª Carmen López", "M.ª José": María written short.
  /(?<![\p{L}])(?:Mª|M\.ª)\.?\s*\p{Lu}\p{Ll}+(?:\s+\p{Lu}[\p{Ll}'’-]+){0,3}/gu,
  // A name does not run across a line break ("Calgary\nChantal Bouchard, 67F").
  /(?<![\p{L}])\p{Lu}[\p{Ll}'’-]+(?:[ \t]+(?:de[ \t]+|del[ \t]+|de la[ \t]+)?\p{Lu}[\p{Ll}'’-]+){1,3}(?=,?\s+(?:\(?\s*(?:de\s+)?\d{1,3}\s*(?:-?\s?(?:y\/?o|yo|y|years?|yrs?|year-old|años?|mo|mos|months?|meses|wk|wks|weeks?)\b|[MF]\b)|aged?\s+\d|an?\s+\d{1,3}[- ]year|\d{1,3}\s*,(?!\d))|,\s+\d{1,3}\.(?!\d))/gu,
];

/** Frames: each token must be capitalised, or a lower-case word the frame accepts. */
function framed(text: string, lowerCaseTags: Map<number, string[]>): FoundSpan[] {
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
      let tookCapital = false;
      // "dad (frank mcallister, 92yo)": in brackets right after a family word, lower-case words are the name.
      const paren = frame.wordLikeNames === true && /\(\s*$/.test(hit[0]);
      // "mi abuela remedios vive en": after a Spanish family word, a word before a verb is who does it.
      const spanishSubject = frame.wordLikeNames === true && SPANISH_RELATION.test(hit[0]);
      for (const word of name.groups!.v!.split(/(\s+)/)) {
        const start = offset;
        offset += word.length;
        if (/^\s+$/.test(word) || /^(?:de|del|la|los|van|von|der|da|di|du|le|y|e|bin|binti|binte|bte|ibn|ap|al|el)$/i.test(word)) continue;
        const clean = word.replace(/['’]s$/, "");
        const tags = lowerCaseTags.get(start);
        const lowerOk =
          (paren && end === from && clean.length >= 3 && (firstNameKind(clean) !== undefined || !tags?.some((t) => NOT_NAME_TAGS.test(t) && t !== "Adjective"))) ||
          (paren && end > from && !tags?.some((t) => NOT_NAME_TAGS.test(t))) ||
          // "my son oisín", "wife graça": after an English family word, a lower-case word with a letter English does not
          // spell with (an accent, a cedilla) is a name from another language, not an English word.
          (frame.wordLikeNames === true && !SPANISH_RELATION.test(hit[0]) && end === from && clean.length >= 3 && /^\p{Ll}+$/u.test(clean) && /\P{ASCII}/u.test(clean)) ||
          (spanishSubject && end === from && SPANISH_VERB_AFTER.test(text.slice(start + clean.length, start + clean.length + 14)) && !SPANISH_NOT_NAMES.test(clean)) ||
          (frame.lowerCase === "any" ? clean.length >= 3 : frame.lowerCase === "known" ? tags?.some((t) => /^(?:FirstName|LastName|Person)$/.test(t)) === true || (firstNameKind(clean) === "plain" || (frame.wordLikeNames === true && !SPANISH_RELATION.test(hit[0]) && firstNameKind(clean) === "wordLike" && !tags?.some((t) => NOT_NAME_TAGS.test(t)))) : clean.length >= 3 && !tags?.some((t) => NOT_NAME_TAGS.test(t)));
        const capital = /^\p{Lu}/u.test(word);
        // "Dr. Okafor wants": once a capitalised word was taken, a lower-case one ends the name; "dr marks gave": so does a verb.
        const more = end === from || capital || (!tookCapital && !tags?.some((t) => NOT_NAME_TAGS.test(t)));
        const ok = more && isNameWord(clean) && !TITLE.test(clean) && !isClinicalWord(clean, text, start, start + clean.length) && (capital || lowerOk);
        if (!ok) break;
        tookCapital ||= capital;
        end = start + clean.length;
      }
      if (end > from) spans.push({ start: from, end, class: "NAME", value: text.slice(from, end), priority: 2 });
    }
  }
  // "SMITH, JOHN A": a form's last name, comma, first name in capitals, when the first name is known.
  for (const hit of text.matchAll(/(?<![\p{L}\p{N}])\p{Lu}{2,}(?:[-'’]\p{Lu}+)?,[ \t]*(\p{Lu}{2,})(?:[ \t]+\p{Lu}\.?)?(?![\p{L}\p{N}])/gu)) {
    const first = hit.index + hit[0].indexOf(hit[1]!, hit[0].indexOf(","));
    if (!(lowerCaseTags.get(first)?.includes("FirstName") || firstNameKind(hit[1]!) === "plain")) continue;
    // Checked as written in a sentence: in capitals every word looks like an acronym.
    const asWord = (w: string) => w[0]! + w.slice(1).toLowerCase();
    if (hit[0].split(/,\s*|\s+/).some((w) => w.length > 1 && (!isNameWord(w) || isClinicalWord(asWord(w), text, hit.index, hit.index + hit[0].length)))) continue;
    spans.push({ start: hit.index, end: hit.index + hit[0].length, class: "NAME", value: hit[0], priority: 1 });
  }
  // "Ruiz-Tagle, Camila": last name, comma, a first name the recognizer knows.
  for (const hit of text.matchAll(/(?<![\p{L}\p{N}])\p{Lu}[\p{L}'’-]+,\s*(\p{Lu}[\p{Ll}'’-]+)(?![\p{L}])/gu)) {
    const first = hit.index + hit[0].length - hit[1]!.length;
    if (!(lowerCaseTags.get(first)?.includes("FirstName") || firstNameKind(hit[1]!) === "plain") || lowerCaseTags.get(hit.index)?.includes("Place")) continue;
    if (hit[0].split(/,\s*/).some((w) => !isNameWord(w) || isClinicalWord(w, text, hit.index, hit.index + hit[0].length))) continue;
    spans.push({ start: hit.index, end: hit.index + hit[0].length, class: "NAME", value: hit[0], priority: 1 });
  }
  for (const shape of SHAPED) {
    for (const hit of text.matchAll(shape)) {
      // "Anneke de Vries": the particles inside a name are function words, not a reason to drop it.
      const words = hit[0].split(/\s+/).filter((w) => !/^(?:de|del|la)$/.test(w));
      // After a first name of the lists, a surname that is also an eponym is the surname ("Grace Addison, 46", "Chantal Bouchard, 67F").
      const firstNamed = firstNameKind(words[0]!) === "plain" || lowerCaseTags.get(hit.index)?.includes("FirstName") === true;
      if (words.some((w, i) => !isNameWord(w) || (!(firstNamed && i > 0) && isClinicalWord(w.replace(/^\p{Lu}\.\s?/u, ""), text, hit.index, hit.index + hit[0].length)))) continue;
      spans.push({ start: hit.index, end: hit.index + hit[0].length, class: "NAME", value: hit[0], priority: 1 });
    }
  }
  return spans;
}

/**
 * "Kwame Mensah presented", "Maeve and...": a capitalised first name of the list, with the capitalised words after
 * it; in lower case, the first name alone.
 */
function knownFirstNames(text: string, terms: Term[]): FoundSpan[] {
  const wordOf = (term: Term) => text.substr(term.offset.start, term.offset.length).replace(/[.,;:!?)]+$/, "");
  const nameLike = (term: Term) => {
    const word = wordOf(term);
    return /^\p{Lu}\p{Ll}/u.test(word) && isNameWord(word) && !TITLE.test(word) && !KEPT_PLACES.test(word) && !isClinicalWord(word, text, term.offset.start, term.offset.start + word.length);
  };
  const spans: FoundSpan[] = [];
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i]!;
    const word = wordOf(term);
    // "my fathr raju sugar 350": lower-case typing; a listed first name of 4+ letters that is no word is a name there too.
    if (/^\p{Ll}{4,}$/u.test(word) && firstNameKind(word) === "plain" && !isClinicalWord(word, text, term.offset.start, term.offset.start + word.length)) {
      spans.push({ start: term.offset.start, end: term.offset.start + word.length, class: "NAME", value: word, priority: 1 });
      continue;
    }
    if (firstNameKind(word) !== "plain" || !nameLike(term)) continue;
    let last = i;
    // The surname: up to two capitalised words right after ("Kwame Mensah", "Oluwaseun Adeyemi-Bello"), that are no verb or adjective.
    while (last + 1 < terms.length && last - i < 2) {
      const next = terms[last + 1]!;
      const gap = text.slice(terms[last]!.offset.start + wordOf(terms[last]!).length, next.offset.start);
      if (!/^[ -]$/.test(gap) || !nameLike(next) || next.tags.some((t) => NOT_NAME_TAGS.test(t) || t === "Place")) break;
      last++;
    }
    const start = term.offset.start;
    const end = terms[last]!.offset.start + wordOf(terms[last]!).length;
    spans.push({ start, end, class: "NAME", value: text.slice(start, end), priority: 1 });
    i = last;
  }
  return spans;
}

/** Names and places in one text. */
export function findNamesAndPlaces(whole: string): FoundSpan[] {
  const spans: FoundSpan[] = [];
  for (const piece of pieces(whole)) {
    for (const span of namesAndPlacesIn(piece.text)) spans.push({ ...span, start: span.start + piece.offset, end: span.end + piece.offset });
  }
  return spans;
}

function namesAndPlacesIn(text: string): FoundSpan[] {
  const terms = (nlp(text).json({ offset: true, terms: { offset: true } }) as Match[]).flatMap((m) => m.terms);
  // Each word's tags by where it starts, for the frames that take a lower-case word only if it looks like a name.
  const tags = new Map<number, string[]>();
  for (const term of terms) tags.set(term.offset.start, term.tags);
  return [...recognized(text, terms), ...framed(text, tags), ...knownFirstNames(text, terms), ...surnameFirstNames(text, tags), ...placesAfterCues(text, terms), ...affiliationsAfterClinicians(text, terms), ...organisations(text, terms), ...saintsPlaces(text, terms)];
}
