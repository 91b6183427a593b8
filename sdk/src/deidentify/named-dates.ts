import { fullYear, monthOf, type DateSpan } from "./date-parts.js";

/**
 * Dates written with a name rather than numbers, which chrono's strict parsers leave: a month named alone after a
 * word of time ("in june", "since feb", "hasta octubre"), a holiday ("until Easter", "since Christmas", "en Navidad"),
 * a month written short and glued to its day ("Mar-4", "4-Mar"), and a month in Roman numerals ("4-III-2026", the
 * way Chile, Poland and Italy write dates by hand). The labeled corpus marks each of these as a DATE: a month or a
 * holiday ties the event to a time of year, which with the rest of a history can name someone.
 */

const MONTH_NAMES = String.raw`january|february|march|april|may|june|july|august|september|october|november|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre`;
const MONTH_SHORT = String.raw`jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|ene|abr|ago|dic`;

/**
 * A word of time right before: "in", "until", "since", "by", "early", "desde"... "may" and "march" are verbs as often,
 * so a month name counts only after one of these ("I may", "they march" stay).
 */
const TIME_WORD = String.raw`(?:in|since|until|till|til|by|before|after|from|through|thru|during|early|late|mid|last|next|around|end\s+of|beginning\s+of|start\s+of|en|desde|hasta|para|antes\s+de|despu[eé]s\s+de|a\s+finales\s+de|a\s+principios\s+de|a\s+mediados\s+de|durante|pasado|próximo|proximo)`;

/** "in june", "since feb", "hasta octubre": a month alone after a word of time; not "in March 2024" (found whole elsewhere). */
const MONTH_ALONE = new RegExp(String.raw`(?<=(?<![\p{L}])${TIME_WORD}[ \t]+(?:the\s+)?)(?:${MONTH_NAMES}|${MONTH_SHORT})\.?(?![\p{L}\p{N}])(?![ \t]*(?:[-/.,]?[ \t]*\d)|[ \t]+(?:de[l]?[ \t]+)?(?:19|20)\d\d)`, "giu");

/** Holidays that fall on a date of the calendar or of a year's calendar; "Ramadan" and "Lent" last a month and stay. */
const HOLIDAYS = String.raw`christmas(?:\s+(?:day|eve))?|xmas|easter(?:\s+(?:sunday|monday|weekend))?|thanksgiving|new\s+year['’]?s(?:\s+(?:day|eve))?|boxing\s+day|halloween|diwali|hanukk?ah|chanukah|navidad|nochebuena|nochevieja|a[ñn]o\s+nuevo|semana\s+santa|d[ií]a\s+de\s+(?:reyes|muertos|la\s+madre|san\s+valent[ií]n)|reyes|(?:australia|canada|independence|memorial|labou?r|victoria|anzac|waitangi|bastille|boxing|st\.?\s+patrick['’]?s|saint\s+patrick['’]?s)\s+day`;

/** "until Easter", "since Christmas", "over Xmas", "por Navidad": a holiday after a word of time ("at Christmas" says when, as often as it dates). */
const HOLIDAY = new RegExp(String.raw`(?<=(?<![\p{L}])(?:${TIME_WORD}|over|on|por|para)[ \t]+(?:the\s+|el\s+|la\s+)?)(?:${HOLIDAYS})(?![\p{L}])`, "giu");

/** "Mar-4", "4-Mar", "Mar.4": a short month glued to its day by a dash or a dot, no year. */
const MONTH_DAY = new RegExp(String.raw`(?<![\p{L}\p{N}-])(?:(?<m1>${MONTH_SHORT}|may)[-.](?<d1>0?[1-9]|[12]\d|3[01])|(?<d2>0?[1-9]|[12]\d|3[01])-(?<m2>${MONTH_SHORT}|may))(?![\p{L}\p{N}]|[-./]\d)`, "giu");

/** "13-ene-2026", "4.Mar.25": day, a month's short name, year, joined by dashes or dots (chrono reads them with spaces). */
const DAY_MONTH_YEAR = new RegExp(String.raw`(?<![\p{L}\p{N}.-])(?<d>0?[1-9]|[12]\d|3[01])(?<s>[-.])(?<m>${MONTH_SHORT}|may)\.?\k<s>(?<y>(?:19|20)\d{2}|\d{2})(?![\p{L}\p{N}])`, "giu");

const ROMAN: Record<string, number> = { I: 1, II: 2, III: 3, IV: 4, V: 5, VI: 6, VII: 7, VIII: 8, IX: 9, X: 10, XI: 11, XII: 12 };
/** "4-III-2026", "12.XI.1984", "3 IV 2025": day, month in Roman capitals, year. */
const ROMAN_DATE = /(?<![\p{L}\p{N}.-])(?<d>0?[1-9]|[12]\d|3[01])(?<s>[-./ ])(?<m>XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)\k<s>(?<y>(?:19|20)\d{2}|\d{2})(?![\p{L}\p{N}])/gu;

export function namedDates(text: string): DateSpan[] {
  const spans: DateSpan[] = [];
  for (const hit of text.matchAll(MONTH_ALONE)) {
    const value = hit[0].replace(/\.$/, "");
    const before = text.slice(Math.max(0, hit.index - 30), hit.index);
    // "this may help", "by may be": the modal; "Mar" is the sea in Spanish and "Mayo" a clinic and a county.
    if (/^may$/i.test(value) && /^\s+(?:be|have|not|help|need|cause|take|want|also|still|get|make|feel|go|come|i|you|he|she|we|they|it)\b/i.test(text.slice(hit.index + 3, hit.index + 12))) continue;
    if (/^mar$/.test(value) || (/^mayo$/i.test(value) && !/(?:en|desde|hasta|para|de|durante|pasado|pr[oó]ximo)\s+$/i.test(before))) continue;
    spans.push({ start: hit.index, end: hit.index + value.length, class: "DATE", value, priority: 2, parts: { month: monthOf(value)! } });
  }
  // A holiday has no month of its own here ("Easter" moves): its placeholder is a plain [DATE_n].
  for (const hit of text.matchAll(HOLIDAY)) spans.push({ start: hit.index, end: hit.index + hit[0].length, class: "DATE", value: hit[0], priority: 2 });
  // Over chrono's reading of the same words ("17 on Mar-" of "17 on Mar-4").
  for (const hit of text.matchAll(MONTH_DAY)) {
    const g = hit.groups!;
    spans.push({ start: hit.index, end: hit.index + hit[0].length, class: "DATE", value: hit[0], priority: 4, parts: { month: monthOf(g.m1 ?? g.m2!)!, day: Number(g.d1 ?? g.d2) } });
  }
  // Over an Irish plate's shape ("191-D-44872"), whose county letters are never Roman numerals.
  for (const hit of text.matchAll(DAY_MONTH_YEAR)) {
    const g = hit.groups!;
    spans.push({ start: hit.index, end: hit.index + hit[0].length, class: "DATE", value: hit[0], priority: 4, parts: { year: fullYear(g.y!), month: monthOf(g.m!)!, day: Number(g.d) } });
  }
  for (const hit of text.matchAll(ROMAN_DATE)) {
    const g = hit.groups!;
    spans.push({ start: hit.index, end: hit.index + hit[0].length, class: "DATE", value: hit[0], priority: 5, parts: { year: fullYear(g.y!), month: ROMAN[g.m!]!, day: Number(g.d) } });
  }
  return spans;
}
