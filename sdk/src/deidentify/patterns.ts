import { ENGLISH_WORDS, SPANISH_WORDS } from "./clinical-terms.js";
import type { Detector } from "./detector.js";
import { luhnCheck, NATIONAL_ID_DETECTORS } from "./national-ids.js";
import type { SpanClass } from "./span-classes.js";

/**
 * Contacts and numbers: what has a shape (emails, URLs, IPs, SSNs, OpenChart's own IDs), and what a
 * label announces ("MRN: 00458812", "n.º de historia 4471", "policy XKJ-4471"). A label finds the number
 * behind it and stays in the text, so the model still reads "MRN [MRN_1]". Labels are English and Spanish.
 */

const HEX_ID = { class: "ID", priority: 3 } as const;

const OPENCHART: Detector[] = [
  // did:pkh:eip155:1:0xabc..., did:key:z6Mk..., did:web:example.com:user
  { class: "DID", pattern: /\bdid:[a-z0-9]+:[A-Za-z0-9._%:-]*[A-Za-z0-9]/g, priority: 5 },
  { class: "WALLET", pattern: /\b0x[0-9a-fA-F]{40}(?![0-9a-zA-Z])/g, priority: 4 },
  // Consent ids, record hashes, transaction hashes, signatures: 0x + more than an address, or 32+ bare hex digits.
  { ...HEX_ID, pattern: /\b0x[0-9a-fA-F]{41,}(?![0-9a-zA-Z])|\b[0-9a-fA-F]{32,}\b/g },
  { ...HEX_ID, pattern: /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g },
  // Ceramic stream and commit IDs (base36, multibase prefix k), CIDv1 in base32, CIDv0 in base58: no word is that long.
  { class: "RECORD", pattern: /\bk[0-9a-z]{40,}\b|\bb[a-z2-7]{50,}\b|\bQm[1-9A-HJ-NP-Za-km-z]{44}\b/g, priority: 4 },
];

const TLD = "com|org|net|edu|gov|mil|int|io|ai|app|health|care|clinic|hospital|info|me|us|uk|co\\.uk|org\\.uk|nhs\\.uk|es|mx|ar|cl|co|pe|de|fr|it|nl|ca|au|ie|nz|za|sg|ng|ke|com\\.au|net\\.au|org\\.au|co\\.nz|com\\.mx|gob\\.mx|com\\.ar|gob\\.es|example";

const CONTACTS: Detector[] = [
  // The look-behinds make a long run of letters a single try, not one per position (no quadratic scans).
  { class: "EMAIL", pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, priority: 4 },
  // "maria dot g at gmail dot com", "maria(at)clinic.org": how people write an address to keep bots off it.
  {
    class: "EMAIL",
    pattern: new RegExp(`(?<![\\w.+-])[\\w.+-]+(?:\\s+dot\\s+[\\w-]+)*\\s*(?:\\(at\\)|\\[at\\]|\\s+at\\s+|\\s+arroba\\s+)[\\w-]+(?:\\s*(?:\\.|\\(dot\\)|\\[dot\\]|\\s+dot\\s+|\\s+punto\\s+)\\s*[\\w-]+)*?\\s*(?:\\.|\\(dot\\)|\\[dot\\]|\\s+dot\\s+|\\s+punto\\s+)\\s*(?:${TLD})\\b`, "gi"),
    priority: 3,
  },
  // A URL with a scheme is unmistakable and goes whole, over a labeled ID or a record ID inside it ("?id=77Qz9", ".../r/bafk...").
  { class: "URL", pattern: /\b(?:https?:\/\/|www\.)[^\s<>"'()[\]]*[^\s<>"'()[\].,;:!?]/gi, priority: 8 },
  { class: "URL", pattern: new RegExp(`(?<![@\\w.-])(?:[a-z0-9-]+\\.)+(?:${TLD})(?:\\/[^\\s<>"'()[\\]]*[^\\s<>"'()[\\].,;:!?])?(?![\\w@-])`, "gi"), priority: 2 },
  { class: "IP", pattern: /(?<![\d.])(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?![\d]|\.\d)/g, priority: 3 },
  { class: "IP", pattern: /(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?(?![\w:])/gi, priority: 3 },
  {
    class: "PHONE",
    pattern: /(?<![\w.+-])(?:\+\d{1,3}[\s.-]?(?:\d[\s.-])?|1[\s.-](?=\d{3}))?(?:\(\d{1,5}\)[\s.-]?)?\d{2,15}(?:[\s.-]\d{2,15}){0,5}(?:,?\s*(?:ext|extn|extension|anexo|int)\.?\s*\d{1,5})?(?!\w|[.,-]\d|\/)/gi,
    accept: looksLikePhone,
  },
];

/**
 * A phone after its label wins over a postal code's shape in its digits ("Mobile: 98204 71136", where "71136" before a
 * capitalised word looks like a code before a town).
 */
const LABELED_PHONE: Detector = {
  class: "PHONE",
  pattern: new RegExp(String.raw`(?<=(?<![\p{L}])(?:phone|ph|tel|tfno|telf|tlf|cell|mobile|mob|m[oó]vil|celular|cel|whatsapp|fax)\.?\s*(?:no\.?|number|#)?\s*[:#-]?\s*)` + CONTACTS.at(-1)!.pattern.source.replace(/^\(\?<!\[\\w\.\+-\]\)/, ""), "giu"),
  priority: 5,
  accept: looksLikePhone,
};

const PHONE_WORDS = /(?:phone|ph|tel|tfno|telf|tlf|cell|mobile|mob|cel|celular|m[oó]vil|fax|call|llamar|llame|ll[aá]mame|whatsapp|wa|text|sms|number|n[uú]mero|pager|beeper|contact|contacto|ext)\W{0,4}$/i;

function looksLikePhone(value: string, text: string, start: number): boolean {
  // An extension's digits are not the number's.
  const digits = value.replace(/,?\s*(?:ext|extn|extension|anexo|int)\.?\s*\d+$/i, "").replace(/\D/g, "").length;
  if (digits < 7 || digits > 15) return false;
  if (/\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(value)) return false;
  if (/^\d+\.\d+$/.test(value)) return false;
  const international = value.startsWith("+") || value.includes("(");
  const groups = value.split(/[\s.()-]+/).filter(Boolean).length;
  if (PHONE_WORDS.test(text.slice(Math.max(0, start - 24), start))) return true;
  // "07911 123456 is my number", "654 321 098 es mi móvil": the word may come after it.
  if (/^\W{0,3}(?:is|es|=)?\s*(?:my|mi|his|her|su|the|el)?\s*(?:number|phone|cell|mobile|n[uú]mero|tel[eé]fono|m[oó]vil|whatsapp)\b/i.test(text.slice(start + value.length, start + value.length + 24))) return true;
  // A national number with its trunk 0 in two groups: "07911 123456", "0161 4960000"; an Indian mobile as it is
  // spoken, five and five from a 6 to 9 ("98221 47730").
  if (/^0\d{2,4}\s\d{5,8}$/.test(value) || /^[6-9]\d{4}\s\d{5}$/.test(value)) return true;
  // "in 2023 1500 patients": prose puts numbers side by side with spaces; phones written that way carry a + or 3+ groups.
  if (/\s/.test(value) && !international && groups < 3) return false;
  // A unit after it makes it a quantity: "1500000 IU", "2 000 000 cells".
  if (/^\s*(?:mg|mcg|µg|ug|g|kg|ml|mL|l|L|iu|IU|ui|UI|units?|unidades|cells|copies|\/)/.test(text.slice(start + value.length, start + value.length + 8))) return false;
  return true;
}

/**
 * What may stand between a label and its value: "MRN: ", "policy number is ", "n.º ", an insurer's name
 * ("afiliación IMSS es"), "on file ends" (the last digits of a number are still part of it).
 */
const CONNECT = String.raw`(?:(?<=\b(?:no|nr|num))\.)?(?:\s*(?:number|num|no|nr|n\.?\s?[ºo°]|#|id|code|c[oó]digo|n[uú]mero)\.?)?(?:\s+(?:imss|issste|nhs|hmo|ppo|epo|muface|isfas|sns|tsi|cip|(?:de|del)\s+[a-z]{2,8}(?=\s+(?:es|:))))?(?:\s+(?:on\s+file|on\s+record|en\s+ficha))?(?:\s+(?:ends?|ending|ends?\s+in|ending\s+in|ends?\s+with|last\s+(?:4|four)(?:\s+digits)?|terminad[oa]\s+en|acaba\s+en))?\s*(?:is|es|was|era|says|said|shows|reads|dice|pone|:|#|=|-|–)?\s*`;
/**
 * A value: at least one digit, groups joined by - . / or single spaces while each group has a digit
 * ("VIPU 0 530618 00 1"), after up to two letter codes of the issuer ("AKU/IP/0448812"); never across a line break
 * ("Medicare 3117 06482 5\nHbA1c 10.8%").
 */
const VALUE = String.raw`(?<v>(?:[A-Za-z]{1,10}[-/.]){0,2}[A-Za-z0-9]*\d[A-Za-z0-9]*(?:[-./][A-Za-z0-9]+|[ \t][A-Za-z]{0,3}\d[A-Za-z0-9]*)*)`;
/** The same value led by one or two letter groups: an insurer's or a system's code ("UHC 998 221 0045", "BCBS XYP 8812 3390"). */
const LED_VALUE = VALUE.replace("(?<v>", String.raw`(?<v>(?:[A-Za-z]{1,5}[ \t]){1,2}(?=\d)`);

/** A plate mixes digits and a group of letters: "KX21 ABC", "4821 KLM", "8KLM392", "CVTR 482" (not the word after it: "CVTR 482 got towed"). */
const PLATE = String.raw`(?<v>\d{2,3}-[A-Za-z]{1,2}-\d{1,6}|(?=[A-Za-z0-9 -]{0,4}\d)[A-Za-z0-9]{1,4}\d[A-Za-z0-9]{0,4}(?:[ -][A-Za-z0-9]{1,4}){0,2}|[A-Za-z]{1,4}[ -]?\d{3,4}(?:-?[A-Za-z]{1,3})?)`;

/**
 * "8G4RTW", "X7-KQ2": a code of capitals and digits mixed, with fewer digits than a number needs; not a quantity
 * with its unit ("40mg", "5ML") nor a stage or a gene ("T2N0M0", "BRCA1", "TP53").
 */
function isMixedCode(value: string): boolean {
  return /^[A-Z0-9-]{5,}$/.test(value) && /\d/.test(value) && (value.match(/[A-Z]/g)?.length ?? 0) >= 2 && /\d[A-Z]|[A-Z]\d/.test(value) && !/^\d+(?:MG|MCG|ML|KG|IU|UI|MMHG|CM|MM)$/.test(value) && !/^T[0-4X][A-D]?N[0-3X]/.test(value) && !/^[A-Z]{2,}\d{1,2}[A-Z]?$/.test(value);
}

/** "2025-04-01", "4/1/25": a value shaped like a date that can be one ("00-77-1823" cannot: no month 77). */
function couldBeDate(value: string): boolean {
  const parts = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$|^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})$/.exec(value);
  if (!parts) return false;
  const [a, b] = (parts[1] ? [parts[2], parts[3]] : [parts[4], parts[5]]).map(Number) as [number, number];
  return a >= 1 && b >= 1 && ((a <= 12 && b <= 31) || (b <= 12 && a <= 31));
}

/** "UHC", "BCBS", or in lower-case typing "mbr", "xkj": a group before a number that is a code, not a word ("card shows 1EG4", "insurance pays 1200"). */
function isCodeLead(group: string): boolean {
  if (/\d/.test(group)) return true;
  if (/^[A-Z]{1,5}$/.test(group)) return true;
  return /^[a-z]{2,4}$/.test(group) && !ENGLISH_WORDS.has(group) && !SPANISH_WORDS.has(group) && !/^(?:pays?|paid|says?|said|gets?|got|owes?|only|just|plus|over|card|each|cost|about)$/.test(group);
}

/** A unit after a number makes it a quantity, whatever word stood before it ("pump 200 ml/h", "sensor 14 days"). */
const QUANTITY_AFTER = /^\s*(?:mg|mcg|µg|ug|g|kg|ml|l|iu|ui|units?|unidades|mmol|mmhg|days?|d[ií]as|hours?|hrs?|h\b|min|%)(?![\p{L}])/iu;

/**
 * A label's detectors: its value alone, and (for number values) its value led by a code. The second is a detector
 * of its own because whether the lead is a code ("UHC", "mbr", not "card shows") is checked after the match, and
 * a refused lead must not hide the plain value.
 */
function labeled(spanClass: SpanClass, labels: string, minDigits = 3, priority = 6, value = VALUE): Detector[] {
  const detector = (source: string, ledByCode: boolean): Detector => ({
    class: spanClass,
    pattern: new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${labels})(?!\p{L})${CONNECT}${source}(?![\p{L}\p{N}])`, "giu"),
    // "report 2024", "EHR 2019": a year alone is no identifier; "ref 4.0-5.6" is a range; "visit 2025-04-01" a date.
    accept: (found, text, start) =>
      !QUANTITY_AFTER.test(text.slice(start + found.length, start + found.length + 8)) &&
      (found.replace(/\D/g, "").length >= minDigits || isMixedCode(found)) &&
      (!ledByCode || (/^(?:[A-Za-z]{1,5}\s){1,2}(?=\d)/.exec(found)?.[0].trim().split(/\s+/) ?? []).every(isCodeLead)) &&
      !/^(?:19|20)\d\d$/.test(found) &&
      !/^\d+[.,]\d+\s*-\s*\d+(?:[.,]\d+)?$/.test(found) &&
      !couldBeDate(found),
    priority,
  });
  return value === VALUE ? [detector(VALUE, false), detector(LED_VALUE, true)] : [detector(value, false)];
}

const LABELED: Detector[] = [
  labeled("SSN", String.raw`ssn|ss#|soc(?:ial)?\.?\s*sec(?:urity)?(?:\s*(?:number|no|#))?|nss|n[uú]mero de (?:la )?seguridad social|dni|nie|nif|curp|rfc|national (?:id(?:entity)?|insurance)(?:\s*(?:number|no|card))?|ni\s+(?:number|no)|passport|pasaporte|ppsn?|personal\s+public\s+service(?:\s+number)?|tfn|tax\s+file(?:\s+number)?|social\s+insurance(?:\s+number)?|nino|ird|ine|(?:clave\s+de\s+)?elector|credencial(?:\s+(?:de\s+)?elector)?|rut|c[ée]dula\s+de\s+identidad|hkid|cnic|nric|personnummer|f[øo]dselsnummer|cpr[- ]?(?:no|nr|nummer|number)|pesel|bsn|aadhaa?r|cpf|kennitala|henkil[öo]tunnus|codice\s+fiscale|nin|emirates\s+id|iqama|omang`),
  labeled("MRN", String.raw`mrn|medical\s+record(?:s)?(?:\s+(?:number|no|#))?|med\.?\s*rec(?:ord)?|(?:hospital|chart|record|unit|case\s+note)\s+(?:number|no|#)|hosp\.?\s*(?:#|no\b|number)|urn|ur\s+(?:number|no|#)|chart|nhc|n\.h\.c|historia(?:\s+cl[ií]nica)?|h\.?\s?c\.|hist\.?\s*cl[ií]n|patient\s+(?:id|number|no)|pt\s+(?:id|#)|nhs(?:\s+(?:number|no))?|nhi|emr|ehr|(?:folder|file|ip|op|opd|ipd|uhid|hc|cr|inpatient|outpatient|admission|reg|mr|unit\s+record)\s*(?:no|nr|n[º°o]|number|#)\.?`),
  labeled("PLAN", String.raw`(?:health\s+)?insurance(?:\s+(?:id|member\s+id|policy|card))?|member(?:ship)?|policy(?:\s+holder)?|group(?:\s+(?:id|number|no|#))?|subscriber(?:\s+id)?|plan\s+(?:id|number|no)|medicare|medicaid|mbi|ramq|ahcip|ohip|hcn|phn|msp|ihi|gms|medical\s+card|ehic|obra\s+social|(?:n[uú]mero\s+de\s+|n\.?\s?[ºo°]\s+de\s+)?afiliad[oa]|tis|beneficiary(?:\s+id)?|tarjeta\s+sanitaria(?:\s+individual)?|tsi|cip|p[oó]liza|(?:n[ºo°]\s+de\s+)?afiliaci[oó]n|aseguradora|mutua|seguro(?:\s+m[eé]dico)?|philhealth|fonasa|nhif`),
  labeled("ACCOUNT", String.raw`account|acct|a\/c|billing(?:\s+(?:id|number|no|account))?|invoice|factura|cuenta|iban|card(?:\s+(?:number|no|ending(?:\s+in)?))?|tarjeta(?!\s+sanitaria)(?:\s+(?:terminada\s+en|n[uú]mero))?|credit\s+card|visa|mastercard|amex|bank`, 4),
  labeled("VEHICLE", String.raw`(?:license|licence)\s+plate|plate(?:\s+(?:number|no))?|tag\s+number|vin|matr[ií]cula|placa|patente|car\s+reg(?:istration)?|rego`, 2, 7, PLATE),
  labeled("LICENSE", String.raw`(?:driver'?s\s+)?(?:license|licence)|npi|dea|lic\.?|licencia|carn[eé]t?\s+de\s+conducir|permiso\s+de\s+conducir|(?:n[ºo°]\s+de\s+)?colegiad[oa]|certificate|board\s+cert(?:ification)?|gmc|cmp|provider(?:\s+(?:no|number|#))?|prescriber(?:\s+(?:no|number|#))?|ahpra|mcrn|imc|gdc|nmc|hcpc|gphc|goc|nmbi|coru|cpso|cpsa|cpsbc|cpsns|oiiq|cmq|registration(?:\s+(?:no|number|#))?|c[ée]dula(?:\s+profesional)?|reg\.|regn\.?`),
  // Argentina's matrícula nacional or provincial after a doctor's name ("MN 98.441", "M.P. 12345").
  labeled("LICENSE", String.raw`m\.?\s?[np]\.?`, 4),
  labeled("DEVICE", String.raw`serial(?:\s+(?:number|no|#))?|s\/n|sn|device(?:\s+(?:id|serial|number|no))?|imei|udi|(?:n[ºo°]\s+de\s+)?serie|implant(?:\s+(?:id|serial))?|pacemaker(?:\s+(?:id|serial))?|marcapasos|model|modelo|lot(?:e)?(?:\s+(?:number|no|#|n[ºo°]))?|sensor|transmitter|receiver|cpap|bipap|glucometer|(?:insulin\s+)?pump`),
  labeled("ID", String.raw`case|claim|clm|wc\s+claim|order|accession|specimen|encounter|visit|admission|reference|ref|ticket|request|requisition|report|sample|episode|booking|appointment|confirmation|tracking|expediente(?:\s+cl[ií]nico)?|referencia|solicitud|muestra|episodio|caso|petici[oó]n|cita|id|user(?:name)?|usuario|login|employee|staff|payroll|empleado|matr[ií]cula\s+de\s+empleado|lab(?:oratory)?|folio|rx|prescription|script|receta|badge|registro|n[uú]mero\s+de\s+orden|orden|clave`),
].flat();

const SHAPES: Detector[] = [
  // A Medicare Beneficiary Identifier: 11 characters in a fixed pattern of digits and letters ("1EG4-TE5-MK73"); the
  // shape says more than a label before it ("card shows ...").
  { class: "PLAN", pattern: /(?<![\w-])[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y]{2}\d{2}(?![\w-])/g, priority: 7 },
  // An Irish PPS number: seven digits and one or two check letters ("8765432WA").
  { class: "SSN", pattern: /(?<![\w-])\d{7}[A-W][A-IW]?(?![\w-])/g, priority: 3 },
  // An Irish registration plate: year, county letters, number ("191-D-44872").
  { class: "VEHICLE", pattern: /(?<![\w-])\d{2,3}-[A-Z]{1,2}-\d{1,6}(?![\w-])/g, priority: 4 },
  // A blood unit's ISBT 128 donation number: facility letter and code, year, serial ("W0414 25 087441"), and the check
  // character printed after it ("G0816 26 118472 A").
  { class: "ID", pattern: /(?<![\w-])[A-Z]\d{4} ?\d{2} ?\d{6}(?: [A-Z0-9](?![\w-]))?(?![\w-])/g, priority: 4 },
  // A serial whose letters and digits alternate ("HX7K4Q2P1V"): no word, gene or dose changes between them so often.
  { class: "ID", pattern: /(?<![\w-])[A-Z0-9]{8,20}(?![\w-])/g, priority: 1, accept: (v) => (v.match(/[A-Z](?=\d)|\d(?=[A-Z])/g)?.length ?? 0) >= 5 },
  // "my username on there is rgill_1979", "usuario: mgarcia_77": a handle said as one, with a letter and a digit or an
  // underscore ("login says my potassium is 5.9" is a value).
  { class: "ID", pattern: /(?<=\b(?:user\s?name|handle|login|usuario|nick)\b[^.\n]{0,20}?(?:\bis|\bes|:)\s*)@?(?=[\w.-]*\p{L})[\w.-]*[\d_][\w.-]*\w/giu, priority: 5 },
  // A device's MAC address.
  { class: "DEVICE", pattern: /(?<![\w:-])[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}(?![\w:-])/g, priority: 4 },
  // "#4471882", "No. 0093318": a long number announced only by a number sign.
  { class: "ID", pattern: /(?<![\p{L}\p{N}])(?:#|No\.|N[ºo°]\.?|n\.º)\s?(?<v>[A-Z]{0,3}\d{5,}[A-Z]?)(?![\p{L}\p{N}])/gu, priority: 1 },
  // A Mexican CURP (4 letters, birth date, sex, state, consonants, check) and RFC (4 letters, birth date, 3 characters).
  { class: "SSN", pattern: /(?<![\w-])[A-Z]{4}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d(?![\w-])|(?<![\w-])[A-Z&Ñ]{3,4}\d{6}[A-Z0-9]{3}(?![\w-])/g, priority: 5 },
  // A Mexican voter card's clave de elector: six consonant letters of the name, birth date, state, sex, three digits.
  { class: "SSN", pattern: /(?<![\w-])[A-Z]{6}\d{8}[HM]\d{3}(?![\w-])/g, priority: 5 },
  { class: "SSN", pattern: /(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])/g, priority: 5 },
  // Spanish DNI / NIE: 8 digits and a check letter, or X/Y/Z + 7 digits + letter.
  { class: "SSN", pattern: /(?<![\w-])(?:\d{8}|[XYZ]-?\d{7})-?[A-HJ-NP-TV-Z](?![\w-])/g, priority: 5 },
  { class: "ACCOUNT", pattern: /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,4})?\b/g, priority: 4, accept: (v) => /^(?:ES|GB|DE|FR|IT|NL|PT|IE|BE|MX|CH|AT)/.test(v) },
  { class: "ACCOUNT", pattern: /(?<![\w-])\d{4}(?:[ -]?\d{4}){2}[ -]?\d{1,7}(?![\w-])/g, priority: 2, accept: luhn },
  // A British plate of the current kind: area letters, age digits, three letters ("KX19 LRT").
  { class: "VEHICLE", pattern: /(?<![\w-])[A-HJ-PR-Y][A-HJ-PR-Y]\d{2} ?[A-HJ-PR-Z]{3}(?![\w-])/g, priority: 3 },
  // A 17-character VIN (no I, O or Q).
  { class: "VEHICLE", pattern: /\b(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}\b/g, priority: 4 },
  // An unlabeled code of letters and digits with separators: "XKJ-4471-9920", "A12-998-776".
  { class: "ID", pattern: /(?<![\w-])[A-Za-z0-9]*\d[A-Za-z0-9]*(?:-[A-Za-z0-9]+){1,4}(?![\w-])/g, accept: (v) => v.replace(/\D/g, "").length >= 6 && /[A-Za-z]/.test(v) },
  // A code of capitals and hyphen-joined groups with four digits or more: "SF-D-4471", "CXR-4471" (no "COVID-19", "HLA-B27").
  { class: "ID", pattern: /(?<![\w-])[A-Z]{1,10}(?:-[A-Z0-9]{1,8}){1,4}(?![\w-])/g, accept: (v) => v.replace(/\D/g, "").length >= 4 && (v.match(/[A-Z]/g)?.length ?? 0) >= 2 },
  // A long unlabeled number that is no phone and no date still identifies something.
  { class: "ID", pattern: /(?<![\w.,/-])[A-Z]{1,3}\d{5,}[A-Z]?(?![\w]|[.,/]\d)/g, priority: -1 },
];

/** A card number's length and Luhn sum. */
function luhn(value: string): boolean {
  const digits = value.replace(/\D/g, "");
  return digits.length >= 13 && digits.length <= 19 && luhnCheck(digits);
}

/**
 * A plate beside the vehicle it is on ("our van, S 418 BQA", "camioneta KXRT-41") or with the word after it ("7ZXK19,
 * CA plate"): capitals and digits mixed, no lower case (a quantity is "2 kids", "40mph").
 */
/** The words in either case: the plate itself must be in capitals, so the pattern cannot ignore case. */
const VEHICLE_WORDS = "van car truck ute suv camioneta coche carro auto moto motorcycle motorbike scooter patente placa plate".split(" ").map((w) => `[${w[0]}${w[0]!.toUpperCase()}]${w.slice(1)}`).join("|");
const CAPITAL_PLATE = String.raw`(?<v>[A-Z0-9]{1,8}(?:[ -][A-Z0-9]{1,4}){0,2})`;
const PLATE_SHAPE = (v: string) => /\d/.test(v) && /[A-Z]/.test(v) && !/[a-z]/.test(v) && !/^\d+\s?(?:MPH|KM|KPH|CC|L|V|HP|MG|ML)$/i.test(v);
const VEHICLES: Detector[] = [
  // Lower-case words may come between: "patente camioneta de la empresa KXRT-41".
  { class: "VEHICLE", pattern: new RegExp(String.raw`(?<=\b(?:${VEHICLE_WORDS})(?:['’]s)?(?:\s+\p{Ll}+){0,4}\s*[,(:]?\s*)${CAPITAL_PLATE}(?=\s*[,.;)]|\s*$)`, "gmu"), priority: 6, accept: PLATE_SHAPE },
  { class: "VEHICLE", pattern: new RegExp(String.raw`(?<![\p{L}\p{N}])${CAPITAL_PLATE}(?=,?\s+(?:[A-Z]{2}\s+)?(?:plate|tag|rego|registration|patente|placa)\b)`, "gu"), priority: 6, accept: PLATE_SHAPE },
];

export const PATTERN_DETECTORS: readonly Detector[] = [...OPENCHART, ...CONTACTS, LABELED_PHONE, ...LABELED, ...SHAPES, ...NATIONAL_ID_DETECTORS, ...VEHICLES];
