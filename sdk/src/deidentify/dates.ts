import * as chronoEn from "chrono-node/en";
import * as chronoEs from "chrono-node/es";
import { fullYear, monthOf, type DateParts, type DateSpan } from "./date-parts.js";
import { pieces, runDetectors, type Detector } from "./detector.js";
import { namedDates } from "./named-dates.js";
import { DATE_CONTEXT, findShortDates } from "./short-dates.js";

/**
 * Dates by chrono (a maintained multilingual date parser: "03/14/1962", "14 March 1962", "3 de marzo de
 * 2024", "2026-11-02", "June 3rd"), in English and Spanish. A date with a day or a month is an
 * identifier; a year alone, a weekday, a time, a month named alone ("in March") and relative dates
 * ("two weeks ago") are kept. Ages over 89 become "90+".
 */

export type { DateParts, DateSpan } from "./date-parts.js";

const RELATIVE_TAG = /relativeDate|casualReference/;
const TIME_AT_END = /[\s,]*(?:at|@|a las?|,)?\s*\d{1,2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?|h|hrs|horas)?\s*$/i;
const TIME_AT_START = /^(?:at\s+|a las?\s+)?\d{1,2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?|h|hrs)?\s*(?:on\s+|el\s+|,\s*)?/i;
const LEADING_WORDS = /^(?:(?:on|at|the|of|el|del|de|la|dia|día)\s+)+/i;

function chronoDates(whole: string, parse: (text: string) => chronoEn.ParsedResult[]): DateSpan[] {
  const spans: DateSpan[] = [];
  for (const piece of pieces(whole)) {
    for (const span of chronoDatesIn(piece.text, parse)) spans.push({ ...span, start: span.start + piece.offset, end: span.end + piece.offset });
  }
  return spans;
}

function chronoDatesIn(text: string, parse: (text: string) => chronoEn.ParsedResult[]): DateSpan[] {
  const spans: DateSpan[] = [];
  for (const result of parse(text)) {
    if ([...(result.tags?.() ?? [])].some((tag) => RELATIVE_TAG.test(tag))) continue;
    const certain = (part: "year" | "month" | "day" | "hour") => (result.start.isCertain(part) ? (result.start.get(part) ?? undefined) : undefined);
    const known = { year: certain("year"), month: certain("month"), day: certain("day"), hour: certain("hour") };
    if (known.month === undefined && known.day === undefined) continue;
    let value = result.text;
    let start = result.index;
    if (known.hour !== undefined) {
      const timeFirst = /^(?:at\s+|a las?\s+)?\d{1,2}:\d{2}|^\d{1,2}\s*[ap]\.?m/i.test(value);
      if (timeFirst) {
        const cut = TIME_AT_START.exec(value)![0].length;
        value = value.slice(cut);
        start += cut;
      } else {
        value = value.replace(TIME_AT_END, "");
      }
    }
    const lead = LEADING_WORDS.exec(value)?.[0].length ?? 0;
    value = value.slice(lead).replace(/[\s,.;]+$/, "");
    start += lead;
    if (!/\d/.test(value) && known.day === undefined) continue; // "in March": a month named alone
    // A day and a month as two numbers ("12/19") are decided by ./short-dates.ts, which also finds those chrono leaves;
    // with a dash or a dot ("3-4 times", "8.4") only after a word that says a date follows.
    if (known.year === undefined && /^\d{1,2}\/\d{1,2}$/.test(value)) continue;
    if (known.year === undefined && /^\d{1,2}[.-]\d{1,2}$/.test(value) && !DATE_CONTEXT.test(text.slice(Math.max(0, start - 16), start))) continue;
    if (/^\d{1,2}[.-]\d{1,2}$/.test(value) && /^\s*(?:days?|weeks?|d[ií]as|semanas|mg|ml|tabs?)\b/i.test(text.slice(start + value.length, start + value.length + 10))) continue;
    const parts: DateParts = { ...(known.year === undefined ? {} : { year: known.year }), ...(known.month === undefined ? {} : { month: known.month }), ...(known.day === undefined ? {} : { day: known.day }) };
    spans.push({ start, end: start + value.length, class: "DATE", value, priority: 3, parts });
  }
  return spans;
}

/** "5.3.25", "05.03.2025": day, month and year with dots, which chrono leaves. */
const DOTTED_DATE = /(?<![\d.,])(?<d>0?[1-9]|[12]\d|3[01])\.(?<m>0?[1-9]|1[0-2])\.(?<y>\d{2}|(?:19|20)\d{2})(?![\d]|\.\d)/g;

function dottedDates(text: string): DateSpan[] {
  return [...text.matchAll(DOTTED_DATE)].map((hit) => {
    const g = hit.groups!;
    return { start: hit.index, end: hit.index + hit[0].length, class: "DATE" as const, value: hit[0], priority: 2, parts: { year: fullYear(g.y!), month: Number(g.m), day: Number(g.d) } };
  });
}

const EIGHT_DIGIT_DATE: Detector = {
  class: "DATE",
  pattern: /(?<=\b(?:dob|d\.o\.b\.?|born|birth\s*date|date of birth|fecha de nacimiento|f\.?\s?nac\.?|nacid[oa] el)\W{0,3})(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\b/gi,
  priority: 4,
};

/** A day written alone: "since last Thursday the 9th", "el domingo 12". No month, so no shift: a [DATE_n] placeholder. */
const DAYS_ALONE: Detector[] = [
  { class: "DATE", pattern: /(?<=\b(?:el|desde el|hasta el|del)\s+d[ií]a\s+)\d{1,2}\b(?!\s*(?:de\s+(?:tratamiento|ingreso|fiebre|vida|evoluci[oó]n|postoperatorio)|:|h\b|mg|ml|%|\/))/giu, priority: 2 },
  {
    class: "DATE",
    pattern: /(?<=\b(?:on|since|from|until|till|by|before|after|due)\s+(?:(?:last|next|this|[a-z]+day|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\s+)*the\s+)\d{1,2}(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?(?:percentile|centile|grade|week|day|cycle|time|floor|dose|birthday|year|month|line|stage|rib|toe|finger))/gi,
    priority: 2,
  },
  {
    class: "DATE",
    pattern: /\b(?:lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+\d{1,2}(?:st|nd|rd|th)?\b(?!\s*(?::|h\b|mg|ml|años|%|\/|de\s+\p{L}))/giu,
    priority: 2,
  },
  // "thurs 22nd", "Fri the 3rd": a weekday written short needs the ordinal ("sat 94" is a saturation).
  { class: "DATE", pattern: /\b(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)\.?\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th)\b/gi, priority: 2 },
];

/** Ages over 89 in words: "ninety-three", "one hundred and one", "noventa y dos". */
const AGE_WORDS = String.raw`(?:ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one hundred(?:\s+and\s+\w+|[- ]\w+)?|a hundred|noventa(?:\s+y\s+(?:uno|un|dos|tres|cuatro|cinco|seis|siete|ocho|nueve))?|cien(?:to\s+\w+)?)`;

const AGES: Detector[] = [
  // "Im 93, my grandson...", "shes 98", "tiene 96 y vive": an age said with no word for years.
  { class: "AGE", pattern: /(?<=\b(?:i'?m|im|i’m|shes|she'?s|she’s|hes|he'?s|he’s|tiene|tengo|ten[ií]a|tienes)\s+)(?:9\d|1[01]\d)(?![\d.,]\d)(?!\s*(?:mg|mcg|kg|lbs?|pounds|%|mmhg|bpm|lpm|pulsaciones|latidos|grados|°|de\s+(?:saturaci[oó]n|az[uú]car|glucosa|tensi[oó]n)|over|\/|sobre))/giu, priority: 4 },
  // "her 95th birthday", "su 100 cumpleaños"
  { class: "AGE", pattern: /(?<![\d.])(?:9\d|1[01]\d)(?:st|nd|rd|th|º)?(?=\s+(?:birthday|bday|cumpleaños|cumple)\b)/giu, priority: 4 },
  { class: "AGE", pattern: new RegExp(String.raw`\b${AGE_WORDS}(?=[\s-]+(?:years?|yrs?|year-old|a[ñn]os)\b)|(?<=\b(?:aged?|turned|turning|cumpli[oó]|cumple)\s+)${AGE_WORDS}\b|(?<=\b(?:is|was|i'?m|she'?s|he'?s|tiene|tengo|ten[ií]a)\s+)${AGE_WORDS}(?=\s*(?:[,.;!?)]|$|and\b|y\b|now\b|this\b))`, "gim"), priority: 4 },
  { class: "AGE", pattern: /(?<![\d.])(?:9\d|1[0-2]\d)(?=\s*-?\s*(?:years?(?:[- ]old)?|yrs?|y\.?\s?o\.?\b|y\/o|yo\b|year-old|a[ñn]os|a\.\s)|\s?(?:yo|y\/o)\b)/gi, priority: 4 },
  { class: "AGE", pattern: /(?<=\b(?:aged?|age:|edad(?:\s+de)?:?|turned|turning|cumpli[oó]|cumple|cumplir[aá])\s*)(?:9\d|1[0-2]\d)(?!\d|[.,]\d)/gi, priority: 4 },
  // "she is 91 and", "He's 93.": a person's age said plainly.
  { class: "AGE", pattern: /(?<=\b(?:he|she|i|mom|mum|dad|mother|father|grandma|grandpa|grandmother|grandfather|patient|pt|who)\s*(?:'s|’s|'m|’m| is| am| was| turned| turns)\s+)(?:9\d|1[01]\d)(?=\s*(?:[,.;!?)&]|$|and\b|n\b|y\b|with\b|now\b|this\b))/gim, priority: 4 },
  // "my mom rosa is 91 and", but not "her pulse is 95 and".
  { class: "AGE", pattern: /(?<!\b(?:hr|rate|pulse|ox|oxygen|sat|sats|saturation|spo2|o2|bp|bg|bs|bm|glucose|sugar|fingerstick|finger-stick|stick|meter|cgm|libre|dexcom|weight|wt|temp|temperature|score|level|it|that|this|result|number|reading)\s+(?:is|was)\s+)(?<=\b\p{L}+\s+(?:is|was)\s+)(?:9\d|1[01]\d)(?=\s*(?:,|\.|;|!|&|$|and\b|an\b|n\b|now\b|today\b|tomorrow\b|next\s+(?:week|month)\b))/gimu, priority: 4 },
  // "(90M)", ", 93F,": an age with the sex, in a parenthesis or between commas.
  { class: "AGE", pattern: /(?<=[(,]\s*)(?:9\d|1[01]\d)(?=\s?[MF](?:\)|,))/g, priority: 4 },
  // "Ruth Abernathy, 96, with...", "Esperanza Ruiz (98)": an age in apposition to a name.
  { class: "AGE", pattern: /(?<=\p{L}\s*(?:,|\()\s*)(?:9\d|1[01]\d)(?=\s*!*\s*(?:y\s*)?(?:,|\)))/gu, priority: 4 },
  // "Faith Okonjo, 97. She...", "Vasquez (goes by Teddy), 102, from", "(margaret doyle), 96,": after a capitalised
  // word the sentence may end; after a bracket closing a name or an aside, a comma follows.
  { class: "AGE", pattern: /(?<=\p{Lu}\p{Ll}+\s*,\s*)(?:9\d|1[01]\d)(?=\.(?!\d))|(?<=\)\s*,\s*)(?:9\d|1[01]\d)(?=\s*,)/gu, priority: 4 },
];

/** "Jan 2024", "Sept. '23", "marzo de 2019", "11/2023": a month and a year (chrono leaves some of these). */
const MONTH_YEAR =
  /(?<![\p{L}\d/.])(?<!\d-)(?:(?<name>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)\.?,?\s+(?:(?:of|de|del)\s+)?(?:(?<year>(?:19|20)\d{2})|['’](?<yy>\d{2})(?!\d))|(?<m>0?[1-9]|1[0-2])[/-](?<y>(?:19|20)\d{2}))(?![\d/.-]\d)/giu;

function monthYears(text: string): DateSpan[] {
  return [...text.matchAll(MONTH_YEAR)].map((hit) => {
    const g = hit.groups!;
    const month = g.name ? monthOf(g.name) : Number(g.m);
    // "Dec '89": a two-digit year is of the last hundred years.
    const year = fullYear(g.yy ?? g.year ?? g.y!);
    return { start: hit.index, end: hit.index + hit[0].length, class: "DATE" as const, value: hit[0], priority: 2, parts: { year, month } };
  });
}

/** "tues 3/6", "Thurs. 12/5": a weekday written before a date is part of it (chrono knows only some spellings). */
const WEEKDAY_BEFORE = /(?<![\p{L}])(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|lun|mar|mi[eé]|jue|vie|s[aá]b|dom|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)\.?,?\s+$/iu;

function withWeekday(text: string, span: DateSpan): DateSpan {
  if (!/^\d/.test(span.value)) return span;
  const weekday = WEEKDAY_BEFORE.exec(text.slice(Math.max(0, span.start - 12), span.start));
  if (!weekday) return span;
  const start = span.start - weekday[0].length;
  return { ...span, start, value: text.slice(start, span.end) };
}

export function findDates(text: string, spanish: boolean): DateSpan[] {
  // Strict parsers: no "tomorrow" or "in March"; a month with its year is read below (MONTH_YEAR).
  const spans = chronoDates(text, (t) => chronoEn.strict.parse(t));
  if (spanish) spans.push(...chronoDates(text, (t) => chronoEs.strict.parse(t)));
  spans.push(...monthYears(text), ...dottedDates(text), ...findShortDates(text, spanish), ...namedDates(text));
  for (const span of runDetectors(text, [EIGHT_DIGIT_DATE])) {
    const digits = span.value;
    spans.push({ ...span, parts: { year: Number(digits.slice(0, 4)), month: Number(digits.slice(4, 6)), day: Number(digits.slice(6, 8)) } });
  }
  return [...spans.map((span) => withWeekday(text, span)), ...runDetectors(text, DAYS_ALONE), ...runDetectors(text, AGES)];
}

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, "0");

/**
 * What a date is sent as: shifted by `days`, with the precision it was written with. Intervals between
 * dates of one conversation survive; the real dates do not leave. Unknown parts give no placeholder.
 */
export function shiftedDate(parts: DateParts, days: number): string | undefined {
  const { year, month, day } = parts;
  if (month === undefined) return undefined;
  // No year: shift within a leap year (so 29 February exists) and say so with ISO 8601's "--MM-DD".
  const base = Date.UTC(year ?? 2000, month - 1, day ?? 15);
  const shifted = new Date(base + days * DAY_MS);
  if (year === undefined) return day === undefined ? undefined : `--${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`;
  const ym = `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}`;
  return day === undefined ? ym : `${ym}-${pad(shifted.getUTCDate())}`;
}
