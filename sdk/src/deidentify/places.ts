import type { Detector } from "./detector.js";

/**
 * Geographic units smaller than a state, by shape: street addresses, postal codes next to a city or
 * state, named facilities. Cities come from the named-entity recognizer (./names.ts) and from the frames
 * here ("Springfield, IL 62704", "lives in Tulsa", "28013 Madrid"). States and countries are kept, as
 * Safe Harbor allows.
 */

const US_STATES =
  "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR";
const STATE_NAMES =
  "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|Ontario|Quebec|British Columbia|Alberta";
/** Regions and countries that stay: the frames below must not take them for a city. */
export const KEPT_PLACES = new RegExp(
  `^(?:${STATE_NAMES}|${US_STATES}|USA|US|U\\.S\\.A?\\.?|United States|America|Canada|Mexico|México|Spain|España|UK|United Kingdom|England|Scotland|Wales|Ireland|France|Germany|Italy|Portugal|Colombia|Argentina|Chile|Peru|Perú|Venezuela|Ecuador|Cuba|Puerto Rico|Europe|Europa|Andaluc[ií]a|Catalu[ñn]a|Galicia|Madrid region|Comunidad de Madrid|Pa[ií]s Vasco|Euskadi|Castilla|Valencia region|Canarias|Asturias|Arag[oó]n|Murcia region|Navarra|Cantabria|Extremadura|Baleares)$`,
  "i",
);

const CAP = String.raw`\p{Lu}[\p{L}'’.-]*`;
const WORDS = String.raw`(?:[\p{L}\p{N}'’.-]+\s+){0,4}?`;

const STREET_TYPES =
  "street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|crescent|close|row|trail|trl|alley|pike|mews|gardens|grove|hill";
const UNIT = String.raw`(?:,?\s*(?:apt|apartment|unit|suite|ste|flat|floor|fl|#|piso|puerta|pta|planta|esc|escalera)\.?\s*#?\s*[\p{L}\p{N}º°ª-]{1,5})*`;

export const PLACE_DETECTORS: readonly Detector[] = [
  // "42 Elm Street", "118 maple ave apt 4b", "1600 N. Highland Blvd, Suite 200"
  {
    class: "STREET",
    pattern: new RegExp(String.raw`(?<![\p{L}\p{N}])\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?${WORDS}[\p{L}'’.-]+\s+(?:${STREET_TYPES})\.?(?![\p{L}])${UNIT}`, "giu"),
    priority: 3,
  },
  // "Calle Mayor 12, 3º B", "C/ de la Paz, 4", "Avda. de América 23", "Plaza del Sol s/n"
  {
    class: "STREET",
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}])(?:calle|c\/|avda|avenida|av|plaza|pza|paseo|p[ºo]|camino|carretera|ctra|ronda|traves[ií]a|glorieta|urbanizaci[oó]n|urb|barrio|bloque)\.?\s+${WORDS}[\p{L}'’-]+,?\s*(?:n[ºo°]\.?\s*)?(?:\d{1,4}|s\/n)(?![\p{N}])${UNIT}`,
      "giu",
    ),
    priority: 3,
  },
  { class: "STREET", pattern: /\b(?:P\.?\s?O\.?\s+Box|Post Office Box|Apartado(?: de correos)?)\s+\d+/gi, priority: 3 },
  // ZIP after a state: "IL 62704", "Texas 73301-1234"; Spanish and other postal codes when labeled.
  { class: "ZIP", pattern: new RegExp(String.raw`(?<=(?:\b(?:${US_STATES})|${STATE_NAMES}),?\s+)\d{5}(?:-\d{4})?\b`, "gi"), priority: 4 },
  { class: "ZIP", pattern: /(?<=\b(?:zip|zip code|postal code|postcode|c\.?p\.?|c[oó]digo postal)\s*:?\s*)[A-Z0-9]{3,5}(?:[ -][A-Z0-9]{3,4})?\b/gi, priority: 4 },
  // "28013 Madrid": a Spanish postal code (01 to 52 + 3 digits) before a capitalised place name.
  { class: "ZIP", pattern: new RegExp(String.raw`(?<![\p{N},.])(?:0[1-9]|[1-4]\d|5[0-2])\d{3}(?=\s+(?:${CAP}|[\p{Ll}]{3,}\b(?!\s*(?:mg|ml|ui|units))))`, "gu"), priority: 1, accept: (_v, text, start) => /(?:,|\d\s*º?\s*[a-z]?,?|c\/[^,]*,)\s*$/i.test(text.slice(Math.max(0, start - 30), start)) },
  // UK and Canadian postcodes.
  { class: "ZIP", pattern: /\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b/g, priority: 3 },
  // "St. Mary's Hospital", "Mercy General Hospital", "Riverside Family Clinic"
  {
    class: "FACILITY",
    pattern: new RegExp(
      String.raw`(?:(?:St\.?|Saint|San|Santa)\s+)?(?:${CAP}\s+(?:(?:of|de|del|la|the|and|&)\s+)?){1,4}(?:Hospital|Medical Cent(?:er|re)|Health(?:care)? (?:Cent(?:er|re)|System)|Clinic|Infirmary|Hospice|Nursing Home|Care Home|Rehabilitation Cent(?:er|re)|Rehab|Urgent Care|Pharmacy|Surgery Cent(?:er|re)|Surgery|Medical Group|Practice|Family Practice|Children's|Memorial|Cancer Cent(?:er|re)|Dialysis Cent(?:er|re)|Imaging|Laboratories|Labs)\b`,
      "gu",
    ),
    priority: 5,
    accept: (value) => !/^(?:The|A|An|Our|My|His|Her|Their|This|That|General|Local|County|Urgent|Family|Primary)\s+(?:Hospital|Clinic|Pharmacy|Surgery|Practice)$/i.test(value) && /\s/.test(value),
  },
  // "Hospital Universitario La Paz", "Clínica San Roque", "Centro de Salud Delicias"
  {
    class: "FACILITY",
    pattern: new RegExp(
      String.raw`(?:Hospital|Cl[ií]nica|Centro de Salud|Centro M[eé]dico|Policl[ií]nica|Sanatorio|Residencia|Farmacia|Ambulatorio|CAP|CS)\s+(?:(?:de|del|la|las|los|el|y)\s+)*${CAP}(?:\s+(?:(?:de|del|la|las|los|el|y)\s+)*${CAP})*`,
      "gu",
    ),
    priority: 5,
  },
  // City frames: "Springfield IL 62704", "Austin, TX", "tulsa ok 74103" (a lower-case state needs its ZIP), "Boise, Idaho"
  {
    class: "CITY",
    pattern: new RegExp(String.raw`(?<![\p{L}\p{N}'’.-])(?<v>${CAP}(?:\s${CAP}){0,2})(?=,?\s+(?:(?:${US_STATES})\b,?\s*(?:\d{5}|$|[.;,)])|(?:${STATE_NAMES})\b,?\s*\d{5}))`, "gu"),
    priority: 2,
  },
  {
    class: "CITY",
    pattern: new RegExp(String.raw`(?<![\p{L}\p{N}'’.-])(?<v>(?:[\p{L}'’.-]+\s){0,2}[\p{L}'’.-]+)(?=,?\s+(?:${US_STATES}),?\s+\d{5}(?!\d))`, "giu"),
    priority: 2,
  },
  { class: "CITY", pattern: new RegExp(String.raw`(?<v>${CAP}(?:\s+${CAP}){0,2})(?=,\s+(?:${STATE_NAMES})\b)`, "gu"), priority: 2 },
  // "lives in Tulsa", "moved to san diego", "vive en Sevilla", "natural de Bilbao"
  {
    class: "CITY",
    pattern: new RegExp(
      String.raw`(?<=\b(?:lives?|living|lived|moved|moving|relocated|resides|residing|reside|resident|grew up|born|from|visiting|vive|vivo|vivimos|viven|viv[ií]a|reside|residente|natural|procedente|vecin[oa]|nacid[oa]|mud[oó]|mudamos|mudado|trasladad[oa])\s+(?:(?:in|to|at|near|en|a|de|cerca de|outside|outside of)\s+)?)(?<v>${CAP}(?:\s+(?:(?:de|del|la|el)\s+)?${CAP}){0,2})`,
      "gu",
    ),
    priority: 1,
  },
];
