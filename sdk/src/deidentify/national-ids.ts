import type { Detector } from "./detector.js";

/**
 * National identity numbers by their country's scheme: a shape no clinical value has (a check character after a
 * dash or in brackets, fixed dashed groups), or a plainer shape whose check digit is right. A label before one
 * ("RUT", "CNIC", "personnummer") is found by ./patterns.ts; these find the number with no label or an unknown one.
 * A check digit is tested only where the shape alone would also fit a count or a phone: the numbers people type
 * by hand often carry a wrong one, so a distinctive shape is enough by itself.
 */

/** Chile's RUT / RUN: modulo 11 over the digits weighted 2..7 from the right; 10 is "K", 11 is "0". */
export function rutCheck(value: string): boolean {
  const m = /^(\d{1,2}\.?\d{3}\.?\d{3})-?([\dkK])$/.exec(value);
  if (!m) return false;
  const body = m[1]!.replace(/\./g, "");
  let sum = 0;
  for (let i = body.length - 1, w = 2; i >= 0; i--, w = w === 7 ? 2 : w + 1) sum += Number(body[i]) * w;
  const r = 11 - (sum % 11);
  return (r === 11 ? "0" : r === 10 ? "K" : String(r)) === m[2]!.toUpperCase();
}

/** Norway's fødselsnummer: a birth date (DDMMYY), three digits, two modulo-11 check digits. */
export function norwegianCheck(value: string): boolean {
  const d = value.replace(/\D/g, "").split("").map(Number);
  if (d.length !== 11 || !validDayMonth(d[0]! * 10 + d[1]!, d[2]! * 10 + d[3]!)) return false;
  const check = (weights: number[]) => {
    const r = 11 - (weights.reduce((s, w, i) => s + w * d[i]!, 0) % 11);
    return r === 11 ? 0 : r;
  };
  return check([3, 7, 6, 1, 8, 9, 4, 5, 2]) === d[9] && check([5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) === d[10];
}

/** Poland's PESEL: YYMMDD (month +20 for the 2000s), four digits, a check digit weighted 1,3,7,9. */
export function peselCheck(value: string): boolean {
  const d = value.split("").map(Number);
  if (d.length !== 11 || !validDayMonth(d[4]! * 10 + d[5]!, (d[2]! * 10 + d[3]!) % 20)) return false;
  const sum = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3].reduce((s, w, i) => s + w * d[i]!, 0);
  return (10 - (sum % 10)) % 10 === d[10];
}

/** Luhn's sum, as South African ID numbers, Swedish personnummer and Canadian SINs end with. */
export function luhnCheck(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

const validDayMonth = (day: number, month: number) => day >= 1 && day <= 31 && month >= 1 && month <= 12;

/** A birth date of six digits, day first (DDMMYY) or year first (YYMMDD). */
const dayFirst = (s: string) => validDayMonth(Number(s.slice(0, 2)), Number(s.slice(2, 4)));
const yearFirst = (s: string) => validDayMonth(Number(s.slice(4, 6)), Number(s.slice(2, 4)));

const B = String.raw`(?<![\p{L}\p{N}.,/+-])`;
const A = String.raw`(?![\p{L}\p{N}]|[.,/-]\p{N})`;

export const NATIONAL_ID_DETECTORS: Detector[] = [
  // Chile, Uruguay, Argentina write a number in dotted thousands with a check character after a dash: "16.482.337-K".
  { class: "SSN", pattern: new RegExp(String.raw`${B}\d{1,2}\.\d{3}\.\d{3}-[\dkK]${A}`, "gu"), priority: 5 },
  // The same without dots: "16482337-K" only when its check character is right.
  { class: "SSN", pattern: new RegExp(String.raw`${B}\d{7,8}-[\dkK]${A}`, "gu"), priority: 4, accept: rutCheck },
  // Hong Kong's HKID: one or two letters, six digits, the check character in brackets ("K512884(3)").
  // Over a label's value, which stops before the bracket.
  { class: "SSN", pattern: /(?<![\p{L}\p{N}])[A-Z]{1,2}\d{6}\s?\([0-9A]\)/gu, priority: 7 },
  // Pakistan's CNIC (5-7-1) and Malaysia's MyKad (birth date, state, serial: 6-2-4).
  { class: "SSN", pattern: new RegExp(String.raw`${B}\d{5}-\d{7}-\d${A}`, "gu"), priority: 5 },
  { class: "SSN", pattern: new RegExp(String.raw`${B}\d{6}-\d{2}-\d{4}${A}`, "gu"), priority: 4, accept: (v) => yearFirst(v) },
  // Korea's resident number: birth date, a dash, seven digits whose first is the century and sex.
  { class: "SSN", pattern: new RegExp(String.raw`${B}\d{6}-[1-8]\d{6}${A}`, "gu"), priority: 4, accept: (v) => yearFirst(v) },
  // Brazil's CPF: 000.000.000-00.
  { class: "SSN", pattern: new RegExp(String.raw`${B}\d{3}\.\d{3}\.\d{3}-\d{2}${A}`, "gu"), priority: 5 },
  // Italy's codice fiscale: surname and name consonants, birth year, month letter, day, town code, check letter.
  { class: "SSN", pattern: /(?<![\p{L}\p{N}])[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z](?![\p{L}\p{N}])/gu, priority: 5 },
  // Finland's henkilötunnus: DDMMYY, the century sign (- + A), three digits, a check character.
  { class: "SSN", pattern: /(?<![\p{L}\p{N}])\d{6}[-+A]\d{3}[0-9A-FHJ-NPR-Y](?![\p{L}\p{N}])/gu, priority: 4, accept: dayFirst },
  // Nordic numbers of a birth date and a serial ("030587 44219", "120558-3389", "19850312-4471"): Norway's with
  // its two check digits, Sweden's by Luhn; a Danish CPR (DDMMYY-NNNN) has none left, so it needs its dash.
  { class: "SSN", pattern: new RegExp(String.raw`${B}\d{6}[ -]?\d{5}${A}`, "gu"), priority: 4, accept: norwegianCheck },
  { class: "SSN", pattern: new RegExp(String.raw`${B}(?:19|20)?\d{6}[-+]\d{4}${A}`, "gu"), priority: 4, accept: (v) => (v.length > 11 ? luhnCheck(v.replace(/\D/g, "").slice(2)) && yearFirst(v.slice(2)) : dayFirst(v) || (yearFirst(v) && luhnCheck(v.replace(/\D/g, "")))) },
  // South Africa's ID number: YYMMDD, four digits, citizenship, a digit, a Luhn check digit.
  { class: "SSN", pattern: new RegExp(String.raw`${B}\d{13}${A}`, "gu"), priority: 4, accept: (v) => yearFirst(v) && /^[01]$/.test(v[10]!) && luhnCheck(v) },
  { class: "SSN", pattern: new RegExp(String.raw`${B}\d{11}${A}`, "gu"), priority: 3, accept: (v) => peselCheck(v) || norwegianCheck(v) },
  // Britain's National Insurance number: two letters, three pairs of digits, a letter A to D ("PK 72 91 04 B").
  { class: "SSN", pattern: /(?<![\p{L}\p{N}])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\p{L}\p{N}])/gu, priority: 5 },
  // The Philippines' PhilHealth number: 2-9-1.
  { class: "PLAN", pattern: new RegExp(String.raw`${B}\d{2}-\d{9}-\d${A}`, "gu"), priority: 5 },
];
