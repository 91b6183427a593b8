import type { FoundSpan } from "./detector.js";

/** A short date and the day and month it was read as (a DateSpan of ./dates.ts). */
type ShortDate = FoundSpan & { parts: { month: number; day: number } };

/**
 * A day and a month written as two numbers with no year ("12/19", "delivered 12/12", "23/4"): the commonest
 * way a date is typed, and the easiest to confuse with what is clinical (a power of 4/5, pain 7/10, vision 6/9,
 * half a tablet, a 3/6 murmur, "3/7" for three days in British notes). Decided here, once, for chrono's
 * results and the forms chrono leaves, from the numbers themselves and the words around them.
 */

/** A word right before that says a date follows ("on", "since", "el", a weekday). */
export const DATE_CONTEXT =
  /\b(?:on|since|from|until|till|to|by|dated?|seen|visit(?:ed)?|admitted|admission|discharged|discharge|born|dob|due|between|and|last|next|el|desde|hasta|fecha|d[ií]a|del|al|entre|y|vist[oa]|ingres[oó]|ingreso|alta|nacid[oa]|nacimiento|cita|appt|appointment|surgery|procedure|operad[oa]|cirug[ií]a|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)\W{0,3}$/i;

/**
 * Events that are dated, a few words before ("Return to facility 11/6", "delivered 12/12", "b4 8/20"): what a
 * note does on a day. Verbs and nouns of events, English and Spanish.
 */
const EVENT_BEFORE =
  /\b(?:delivered|delivery|collected|collection|received|reported|resulted|drawn|taken|performed|done|given|started|stopped|began|ended|completed|scheduled|booked|moved|rescheduled|postponed|cancell?ed|expires?|expiry|exp|returns?|follow[- ]?up|f\/u|fu|recheck|review|injur(?:y|ed)|fell|fall|onset|b4|before|after|around|week of|thru|through|effective|signed|sent|faxed|called|vaccinated|vaccine|shot|booster|tested|swab|scan|x-?ray|mri|ct|echo|ecg|ekg|labs?|bloods|biopsy|born|died|deceased|passed|operated|surgery|op|procedure|transfer(?:red)?|arrived|left|clearance|deadline|log|diary|readings?|recogid[oa]|extra[ií]d[oa]|entregad[oa]|revisi[oó]n|control|vuelve|volver|caduca|caducidad|vence|parto|vacuna|an[aá]lisis)\b:?(?:\s+\S+){0,3}\s*$/i;

/** Words before that make the numbers a score, a ratio or a fraction: "pain 7/10", "power 4/5", "VA 6/9". */
const SCORE_BEFORE =
  /(?:\b(?:pain|score|scale|grade|graded|power|strength|motor|murmur|reflex(?:es)?|va|vision|visual|acuity|snellen|apgar|gcs|bp|ratio|dilat(?:ed|ion)?|rated?|rating|out of|fraction|sats?|tone|mrc|mmse|moca|cultures?|bottles?|nodes?|cores?|phq-?\d?|gad-?\d?|audit|cage|dolor|escala|fuerza|balance|i:e|x)\s*:?\s*|(?<![\p{L}\p{N}])\d\s)$/iu;
/** Words after that do the same: "5/5 strength", "3/6 systolic murmur", "1/2 tab", "4/16 cores". */
const SCORE_AFTER =
  /^\s*(?:[/+]|[-–]\s*\d|pain|power|strength|murmur|systolic|diastolic|holosystolic|sem|scale|score|of\b|doses?|tabs?|tablets?|pills?|caps?|cultures?|bottles?|sets?|nodes?|lymph|lns?|cores?|samples?|biopsies|specimens?|positive|negative|pos\b|neg\b|patients?|pts?\b|days?|weeks?|wks?|months?|mos?\b|hours?|hrs?|h\b|d\b|mg|mcg|ml|units?|iu|times|x\b|ratio|split|o\.?d\b|o\.?s\b|o\.?u\b|eyes?|d[ií]as|semanas|meses|horas|dosis|comprimidos|pastillas)/i;
/** "for 3/7", "x 2/12", "in 1/24": British notes write a duration as a count over days, months or hours. */
const DURATION_BEFORE = /\b(?:for|x|in|over|every|q|within|lasting|durante)\s*$/i;

const SHORT_DATE = /(?<![\p{L}\p{N}/.,:-])(?<a>\d{1,2})\/(?<b>\d{1,2})(?![\p{N}]|[/.-]\d|,\d)/gu;

/** Whether `a/b` at `start` of `text` is a date, and its day and month if so. */
function asShortDate(text: string, start: number, end: number, a: number, b: number, spanish: boolean): { month: number; day: number } | "list" | undefined {
  if (a === 0 || b === 0 || a > 31 || b > 31 || (a > 12 && b > 12) || (a === 24 && b === 7)) return undefined;
  const month = a > 12 ? b : b > 12 ? a : spanish ? b : a;
  const day = month === a ? b : a;
  const before = text.slice(Math.max(0, start - 40), start);
  const after = text.slice(end, end + 20);
  if (SCORE_AFTER.test(after) || SCORE_BEFORE.test(before)) return undefined;
  if (DURATION_BEFORE.test(before) && [7, 12, 24, 52].includes(b)) return undefined;
  if (DATE_CONTEXT.test(before.slice(-16))) return { month, day };
  // "1/2", "3/4": a fraction unless a word says otherwise, or it stands in a list of dates ("3/3 160/101, 3/4 139/88").
  if (a < b && b <= 4) return "list";
  const strong = /^\d\d\/\d\d$/.test(text.slice(start, end)) || a > 12 || b > 12;
  if (strong || EVENT_BEFORE.test(before)) return { month, day };
  return "list";
}

/** Every short date in `text`; one that is no date alone is still one beside a date ("12/12 and 12/13"). */
export function findShortDates(text: string, spanish: boolean): ShortDate[] {
  const found: { span: ShortDate; sure: boolean }[] = [];
  for (const hit of text.matchAll(SHORT_DATE)) {
    const { a, b } = hit.groups!;
    const end = hit.index + hit[0].length;
    const date = asShortDate(text, hit.index, end, Number(a), Number(b), spanish);
    if (!date) continue;
    const parts = date === "list" ? (Number(a) > 12 || spanish ? { month: Number(b), day: Number(a) } : { month: Number(a), day: Number(b) }) : date;
    found.push({ span: { start: hit.index, end, class: "DATE", value: hit[0], priority: 3, parts }, sure: date !== "list" });
  }
  // A list or a range of dates: "12/12 and 12/13", "11/6-11/9", "3/2, 3/9 y 3/16".
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < found.length; i++) {
      if (found[i]!.sure) continue;
      const joined = (j: number) => {
        const other = found[j];
        if (!other?.sure) return false;
        const between = j < i ? text.slice(other.span.end, found[i]!.span.start) : text.slice(found[i]!.span.end, other.span.start);
        // A log: each date with its reading between ("3/1 152/94, 3/2 148/92").
        return /^\s*(?:\d{2,3}\/\d{2,3}|\d+(?:[.,]\d+)?)?\s*(?:,|;|and|&|-|–|to|through|thru|or|y|e|o|al|a|hasta)?\s*$/i.test(between);
      };
      if (joined(i - 1) || joined(i + 1)) found[i]!.sure = true;
    }
  }
  return found.filter((f) => f.sure).map((f) => f.span);
}
