import { DRUGS, ENGLISH_WORDS, EPONYMS, SPANISH_WORDS } from "./clinical-terms.js";
import type { Detector } from "./detector.js";
import { isEnglishWord } from "./vocabulary.js";

/**
 * Geographic units smaller than a state, by shape: street addresses, postal codes next to a city or
 * state, named facilities. Cities come from the named-entity recognizer (./names.ts) and from the frames
 * here ("Springfield, IL 62704", "lives in Tulsa", "28013 Madrid"). States and countries are kept, as
 * Safe Harbor allows.
 */

const US_STATES =
  "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR";
export const STATE_NAMES =
  "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|Ontario|Quebec|British Columbia|Alberta";
/** Regions and countries that stay: the frames below must not take them for a city. */
export const KEPT_PLACES = new RegExp(
  `^(?:${STATE_NAMES}|${US_STATES}|USA|US|U\\.S\\.A?\\.?|United States|America|Canada|Mexico|México|Spain|España|UK|United Kingdom|England|Scotland|Wales|Ireland|France|Germany|Italy|Portugal|Colombia|Argentina|Chile|Peru|Perú|Venezuela|Ecuador|Cuba|Puerto Rico|Europe|Europa|Andaluc[ií]a|Catalu[ñn]a|Galicia|Madrid region|Comunidad de Madrid|Pa[ií]s Vasco|Euskadi|Castilla|Valencia region|Canarias|Asturias|Arag[oó]n|Murcia region|Navarra|Cantabria|Extremadura|Baleares)$`,
  "i",
);

const CAP = String.raw`\p{Lu}[\p{L}'’.-]*`;

/** "T2N0M0", "t3n1m0": a tumour's TNM stage, written together, has a Canadian postcode's shape; a postcode is kept with its space. */
const notTnmStage = (value: string): boolean => !/^T[0-4]N[0-3]M[01]$/i.test(value);
/** A capitalised place name: no trailing dot ("Kraków. I take..."), "St." only as a first word. */
const PLACE_CAP = String.raw`(?:St\.\s+)?\p{Lu}[\p{L}'’-]*`;

/** A pattern source whose lower-case letters also match upper case, so a lead word may start a sentence while a CAP stays capitalised. */
function caseless(source: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      out += c + source[++i]!;
      continue;
    }
    if (c === "[") inClass = true;
    if (c === "]") inClass = false;
    out += /\p{Ll}/u.test(c) ? (inClass ? c + c.toUpperCase() : `[${c}${c.toUpperCase()}]`) : c;
  }
  return out;
}
// No "." inside: "20 mg. My doctor Dr." is no street; greedy, so "77 Oak Hill Terrace" is not cut at "Hill".
// No function word or time inside: "8 6am at fresenius on broad st" is a date and a street, not one street.
const NOT_STREET_WORD = String.raw`(?!(?:at|on|in|to|and|for|with|from|by|is|was|y|en|con|mm|cm|mg|ml|kg|mcg|units?)\s|\d+\s?(?:am|pm|h)\b)`;
const WORDS = String.raw`(?:${NOT_STREET_WORD}[\p{L}\p{N}'’-]+[ \t]+){0,4}`;

const STREET_TYPES =
  "street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|crescent|close|row|trail|trl|alley|pike|mews|gardens|grove|hill|loop|path|ridge|heights|plaza|estates|landing|crossing|bend|cove|glen|meadows|ranch|springs|vista|quay|parade|esplanade|broadway|causeway|rise|wynd|park";
/**
 * What comes before a street's number: a flat or unit ("Flat 2, ", "Unit 4/", "Apt 3B - "), and the building's
 * name ("Flat 9, Caxton House, 3 Mill Lane").
 */
const UNIT_BEFORE = String.raw`(?:flat|unit|apt|apartment|suite)[ \t]+[\p{L}\p{N}]{1,4}(?:[ \t]*[,/-][ \t]*)(?:\p{Lu}[\p{L}'’-]+(?:[ \t]+\p{Lu}[\p{L}'’-]+)?[ \t]+(?:House|Court|Building|Buildings|Mansions|Tower|Towers|Apartments|Lodge|Hall|Block),[ \t]*)?`;
/** Words of a care service, not of a town: "Community: Mental Health", "Localidad: Salud Mental". */
const SERVICE_WORDS = /^(?:mental|health|services?|team|care|unit|nursing|support|outreach|paediatrics?|pediatrics?|salud|servicio|equipo|atenci[oó]n|primaria)$/i;
const UNIT = String.raw`(?:,?\s*(?:app|appt|apt|apartment|unit|suite|ste|flat|floor|fl|#|piso|puerta|pta|planta|esc|escalera|int|interior|depto|dpto|departamento|dept)\.?\s*#?\s*[\p{L}\p{N}º°ª-]{1,5}|,?\s*\d{1,2}\.?\s?[ºª°]\s*(?:izq(?:da|uierda)?|izda|dcha|dcho|dra|der(?:echa)?|centro|ctro|[A-Za-z])?\.?|,?\s*\d{1,2}(?:r|n|t|è|er)\s+\d{1,2}a?(?![\p{L}\p{N}])|,?\s*(?:baixos|bxs|entresol|pral|bajo|bj)\.?(?![\p{L}]))*`;

/**
 * What ends the name of a workplace, a gym, a school or a business ("Planet Fitness", "Sysco Foods", "Westview High
 * School", "Swift Transportation"): where patients work, train and fall, named as often as their clinics.
 */
const ORGANISATION_HEADS =
  "Fitness|Gym|CrossFit|YMCA|YWCA|Athletic Club|Health Club|Leisure Cent(?:er|re)|Sports Cent(?:er|re)|Food Bank|Church|High School|Elementary(?: School)?|Middle School|Primary School|Secondary School|Academy|College|University|Hotel|Restaurant|Foods|Logistics|Transportation|Transport|Trucking|Freight|Airlines|Airways|Construction|Industries|Manufacturing|Motors|Farms|Warehouse|Distribution Cent(?:er|re)|Depot|Market|Supermarket|Daycare|Day Care|Nursery|Preschool|Kindergarten|Skilled Nursing(?: Facility| Center)?|Country Club|Golf Club|Club|Inc\\.?|LLC|Ltd\\.?|Corp(?:oration)?\\.?|Company|Insurance";

/** What ends a facility's name in lower-case typing ("st josephs urgent care", "northside family med", "planet fitness"). */
const LOWER_CASE_HEADS =
  "hospital|clinic|medical cent(?:er|re)|hospice|pharmacy|infirmary|urgent care|pediatrics|paediatrics|family practice|family med|internal med|medical group|health cent(?:er|re)|surgery cent(?:er|re)|dialysis|imaging|rehab|chiropractic|physiotherapy|physical therapy|senior living|assisted living|memory care|sports medicine|memorial|manor|fitness|gym|crossfit|high school|elementary school|middle school|food bank|depot|care home|nursing home|rest home|retirement home|skilled nursing|daycare";

/** Words before "hospital" that make it any hospital, not a named one: "the hospital", "ticket at the hospital". */
const FACILITY_STOP_WORDS = String.raw`cardiac|pulmonary|stroke|drug|alcohol|speech|the|a|an|to|at|in|on|from|into|our|my|his|her|their|this|that|your|local|county|nearest|same|new|old|big|main|general|children's|public|private|any|which|what|day|mental|psychiatric|teaching|community|district|regional|field|veterinary|go|went|going|back|left|ticket|parking|called|call|visit|visited|u|f|up|follow|outpatient|inpatient|walk-in|eye|skin|pain|sleep|fertility|diabetes|heart|cancer|hematology|haematology|cardiology|oncology|neurology|dermatology|rheumatology|endocrinology|nephrology|urology|gastroenterology|gi|ent|orthopedic|orthopaedic|pediatric|paediatric|psychiatric|surgical|medical|dental|vascular|wound|anticoagulation|coumadin|lipid|asthma|copd|memory|travel|vaccine|allergy`;

/** Words after "centro de salud" that are no name: "centro de salud de mi barrio", "clínica privada". */
const SPANISH_STOP_WORDS = "mi|tu|su|sus|de|del|día|dia|guardia|urgencias|referencia|zona|barrio|pueblo|cabecera|privad[oa]|p[uú]blic[oa]|general|m[aá]s|cerca|que|donde|esta|este|nuev[oa]|viej[oa]|ayer|hoy|mañana|por|para|con|sin|porque|pero|como|cuando|dental|veterinaria|est[eé]tica|tiene|tienen|ten[ií]a|est[aá]|estaba|es|son|fue|era|ha|han|hay|me|le|lo|nos|les|se|no|dice|dijo|dicen|cree|quiere|puede|hace|da|dan|manda|recomienda";

/**
 * Health systems, pharmacy and lab chains, care-home operators and public insurers patients name without a word
 * such as "Hospital" (US, UK, Spain, Mexico). Names that are no English word match in any case; the others only
 * capitalised.
 */
const CHAINS_ANY_CASE = [
  "kaiser(?: permanente)?", "mayo clinic", "cleveland clinic", "johns hopkins", "mount sinai", "mt\\.? sinai", "nyu langone", "cedars[- ]sinai",
  "baylor scott (?:and|&) white", "baylor", "intermountain", "geisinger", "ochsner", "northwell", "piedmont", "sutter health", "dignity health", "upmc",
  "atrium health", "novant(?: health)?", "medstar", "inova", "sentara", "memorial hermann", "houston methodist", "scripps", "hackensack meridian",
  "mass general", "brigham and women's", "beth israel", "yale new haven", "penn medicine", "henry ford", "ohiohealth", "wellstar", "emory",
  "vanderbilt", "minuteclinic", "citymd", "planned parenthood", "amedisys", "brookdale", "lincare", "apria", "davita", "fresenius", "labcorp",
  "quest diagnostics", "bioreference", "cvs", "walgreens", "rite aid", "boots", "superdrug", "lloydspharmacy", "walmart pharmacy",
  "quir[oó]n(?:salud)?", "sanitas", "hm hospitales", "vithas", "hospiten", "adeslas", "asisa", "imss", "issste", "farmacias del ahorro",
  "farmacias similares", "farmacias guadalajara", "md anderson", "memorial sloan[- ]kettering", "sloan[- ]kettering", "dana[- ]farber", "newyork[- ]presbyterian", "ny[- ]presbyterian", "uc (?:davis|irvine|san diego|san francisco|health)", "ucla(?: health)?", "ucsf", "ucsd", "ohsu", "vumc", "uab", "uams", "musc",
  "unc health", "uw medicine", "northwestern medicine", "barnes[- ]jewish", "safeway", "kroger", "albertsons", "publix", "h-e-b", "meijer",
  "costco", "wegmans", "carilion", "methodist le bonheur", "north shore[- ]lij", "great ormond street", "addenbrooke'?s", "royal marsden",
  "royal brompton", "moorfields", "the christie", "guy'?s and st\\.? thomas'?", "gregorio mara[nñ][oó]n", "12 de octubre", "doce de octubre",
  "vall d'hebron", "sant pau", "puerta de hierro", "virgen del roc[ií]o", "virgen de la arrixaca", "ram[oó]n y cajal", "marqu[eé]s de valdecilla",
  "son espases", "bellvitge", "germans trias", "carlos haya", "la fe de valencia", "cl[ií]nic de barcelona", "siglo xxi", "la raza", "20 de noviembre", "hy-vee", "winn-dixie", "shoprite", "sainsbury'?s", "asda", "tesco", "morrisons", "radnet", "simonmed", "m[eé]dica sur", "star m[eé]dica", "christus muguerza",
].join("|");
const CHAINS_CAPITALISED = "Providence|Ascension|Advocate Aurora|Banner Health|Trinity Health|Christus|Bon Secours|Spectrum Health|Beaumont|Parkland|Encompass Health|Genesis HealthCare|Kindred|Select Medical|Sunrise Senior Living|Cruz Roja|Karolinska";

export const PLACE_DETECTORS: readonly Detector[] = [
  // "42 Elm Street", "118 maple ave apt 4b", "1600 N. Highland Blvd, Suite 200", "Flat 2, 17 Albert Road"
  {
    class: "STREET",
    // "1-2145 Lakeshore Blvd W": a unit's number and a dash before the house's, as Canada writes them.
    pattern: new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${UNIT_BEFORE})?(?:\d{1,5}-(?=\d))?\d{1,6}[A-Za-z]?[ \t]+(?:[NSEW]\.?[ \t]+)?${WORDS}${NOT_STREET_WORD}[\p{L}\p{N}'’-]+[ \t]+(?:${STREET_TYPES})\.?(?![\p{L}])(?:\s+(?:NE|NW|SE|SW|N|S|E|W)\b\.?)?${UNIT}`, "giu"),
    priority: 3,
  },
  // "Calle Mayor 12, 3º B", "C/ de la Paz, 4", "Avda. de América 23", "Plaza del Sol s/n"
  {
    class: "STREET",
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}])(?:calle|c\/|avda|avenida|av|plaza|pza|paseo|p[ºo]|rambla|travessera|rua|camino|carretera|ctra|ronda|traves[ií]a|glorieta|urbanizaci[oó]n|urb|barrio|bloque|carrer|avinguda|passeig|pla[çc]a|r[úu]a|privada|priv|cerrada|cda|andador|callej[oó]n|calzada|calz|retorno|circuito|kalea|kale|etorbidea|hiribidea|enparantza|pol[ií]gono|pol|parque empresarial)\.?\s+${WORDS}[\p{L}'’-]+,?\s*(?:n[ºo°]\.?\s*|nave\s+|km\.?\s*)?(?:\d{1,4}|s\/n)(?![\p{N}])${UNIT}`,
      "giu",
    ),
    priority: 3,
  },
  // "calle 49 n.º 1120": a numbered street of an Argentine grid, and the house's number.
  { class: "STREET", pattern: /(?<![\p{L}\p{N}])(?:calle|avenida|av\.?|diagonal)\s+\d{1,3}\s*(?:n\.?\s?[ºo°]\.?|no\.?|nro\.?|#)?\s*\d{1,5}(?![\p{N}])/giu, priority: 3 },
  // "ul. Długa 12", "ulica Floriańska": a Polish street, its kind written first.
  { class: "STREET", pattern: /(?<![\p{L}])(?:ul\.|ulica)\s*\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?(?:\s+\d{1,4}[A-Za-z]?(?:\/\d{1,4})?)?/gu, priority: 3 },
  // "un local de calle córdoba", "en avenida colón": a Spanish street named without its number, in any case; a word
  // of the street's own after it, not a common one ("la calle principal", "calle abajo").
  {
    class: "STREET",
    pattern: /(?<=(?<![\p{L}])(?:en|de|por|la|una|sobre|frente a)\s+)(?:calle|avenida|avda\.|av\.|pasaje|paseo|jir[oó]n)\s+(?:(?:de|del|la|los|las)\s+)?\p{L}[\p{L}'’-]{2,}(?:\s+\p{Lu}[\p{L}'’-]{2,})?/giu,
    priority: 2,
    accept: (value) => {
      const name = value.split(/\s+/).at(-1)!;
      return /^\p{Lu}/u.test(name) || (!SPANISH_WORDS.has(name.toLowerCase()) && !/^(?:principal|central|abajo|arriba|peatonal|cortada|mayor|nueva|vieja|ancha|estrecha|misma|otra|esquina)$/i.test(name));
    },
  },
  // "on 5th Ave", "on main st": a street named without its number.
  { class: "STREET", pattern: new RegExp(String.raw`(?<=\b(?:on|at|off|en)\s+)(?:\d{1,3}(?:st|nd|rd|th)|[\p{L}'’-]{3,})\s+(?:${STREET_TYPES})\b\.?`, "giu"), priority: 2, accept: (v) => !/^(?:the|a|this|that|my|our|same|main road)\b/i.test(v) },
  // "1187 County Road 12", "3300 Hwy 61 N", "45 Route 9W": a house number on a numbered road.
  { class: "STREET", pattern: /(?<![\p{L}\p{N}])\d{1,6}\s+(?:County\s+Road|County\s+Rd|CR|State\s+Route|State\s+Road|SR|Highway|Hwy|Route|Rte|US(?:\s+Highway|\s+Hwy)?|Farm\s+to\s+Market\s+Road|FM|Ruta|Carretera)\.?\s*-?\s*\d{1,4}[A-Za-z]?(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b)?/giu, priority: 3 },
  // "Calle 10 # 45-20", "Carrera 7 No. 32-16", "Cra 15 #88-64 apto 501": a Colombian address grid.
  { class: "STREET", pattern: new RegExp(String.raw`(?<![\p{L}\p{N}])(?:calle|cl|carrera|cra|kr|cr|diagonal|dg|transversal|tv|avenida|av|ak|ac)\.?\s*\d{1,3}\s?[A-Za-z]?(?:\s*bis)?\s*(?:#|n[ºo°]\.?|no\.?)\s*\d{1,3}\s?[A-Za-z]?\s*-\s*\d{1,3}${UNIT}(?:\s*(?:apto|apartamento|casa|torre|int)\.?\s*[\p{L}\p{N}-]{1,5})?`, "giu"), priority: 4 },
  // "Jr. Junín 345", "Jirón Ucayali 120", "Pasaje Los Pinos 12": Peruvian streets.
  { class: "STREET", pattern: new RegExp(String.raw`(?<![\p{L}\p{N}])(?:Jr\.|Jir[oó]n|Psje\.?|Pasaje|Prolongaci[oó]n|Prol\.)\s+(?:(?:de|del|la|las|los|el)\s+)*\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?\s+\d{1,5}`, "gu"), priority: 3 },
  // "on Route 9", "off Hwy 61": a numbered road named alone.
  { class: "STREET", pattern: /(?<=\b(?:on|off|at|along|via|near)\s+)(?:Route|Rte|Hwy|Highway|County\s+Road|State\s+Route|Ruta|Carretera)\.?\s*\d{1,4}[A-Za-z]?\b/giu, priority: 2 },
  // "urgent care on 5th": a numbered street named by its ordinal alone.
  { class: "STREET", pattern: /(?<=\b(?:on|off)\s+)\d{1,3}(?:st|nd|rd|th)\b(?!\s*(?:of\b|floor|day|week|month|time|dose|cycle|birthday|percentile|centile|grade|stage|line|visit|attempt|round|try|[-/]\d))/gi, priority: 2 },
  // "Col. del Valle", "Colonia Roma Norte", "Fracc. Las Palmas": a Mexican neighbourhood.
  { class: "CITY", pattern: new RegExp(String.raw`(?<=\b(?:${caseless("col|colonia|fracc|fraccionamiento|barrio|bo|urbanizaci[oó]n|vecindario|sector|reparto|neighbou?rhood")})\.?\s+(?:(?:of|de)\s+)?)(?<v>(?:(?:de|del|la|las|los|el)\s+)*\p{Lu}[\p{L}'’-]+(?:\s+(?:(?:de|del|la|las|los|el)\s+)*\p{Lu}[\p{L}'’-]+){0,3})`, "gu"), priority: 2 },
  // "Community: Maskwacis, AB", "Localidad: Tehuacán": a form's line for where someone lives.
  {
    class: "CITY",
    pattern: /(?<=(?:^|\n|[.;,]\s*)(?:[Cc]ommunity|[Tt]own|[Cc]ity|[Vv]illage|[Hh]ometown|[Ss]uburb|[Rr]eserve|[Ll]ocalidad|[Mm]unicipio|[Pp]oblaci[oó]n|[Cc]omunidad|[Cc]iudad)\s*:\s*)\p{Lu}[\p{L}'’-]+(?:[ \t]+(?:(?:de|del|la|d')[ \t]*)?\p{Lu}[\p{L}'’-]+){0,2}/gu,
    priority: 3,
    // "Community: Mental Health": a service's words are no town's.
    accept: (v) => !v.split(/[ \t]+/).some((w) => ENGLISH_WORDS.has(w.toLowerCase()) || SPANISH_WORDS.has(w.toLowerCase()) || SERVICE_WORDS.test(w)),
  },
  // "Baton Rouge General", "Toronto General": a hospital named by its town and "General" (not "Attorney General").
  {
    class: "FACILITY",
    pattern: /(?<![\p{L}\p{N}])\p{Lu}[\p{Ll}'’-]+(?:[ \t]+\p{Lu}[\p{Ll}'’-]+){0,2}[ \t]+General(?![ \t]+(?:Practi|Surgery|Surgeon|Medicine|Medical|Anaes|Anes|Paed|Ped|Internal|Adult|Health|Hospital|Appearance|Condition|Anxiety))(?![\p{L}])/gu,
    priority: 2,
    accept: (v) => !/^(?:In|The|A|An|And|Of|For|Overall|Very|My|Our|His|Her|Their|Your|Fairly|Quite|Good|Fair|Poor|Stable|Is|Was|Appearance)\b/.test(v) && !/\b(?:Attorney|Surgeon|Secretary|Postmaster|Inspector|Consul|Governor|Adjutant|Major|Brigadier|Lieutenant|Registrar|Comptroller|Solicitor|Paymaster|Accountant|Auditor|Director|Vicar)[ \t]+General$/.test(v),
  },
  // "Children's Minnesota", "Children's Colorado": a children's hospital named by its state or town (a state, or a hospital system's word; not "Children's Tylenol").
  { class: "FACILITY", pattern: /(?<![\p{L}])Children['’]s[ \t]+\p{Lu}[\p{L}'’-]+/gu, priority: 6, accept: (v) => /^(?:Mercy|National|Healthcare)$/.test(v.replace(/^Children['’]s[ \t]+/, "")) || KEPT_PLACES.test(v.replace(/^Children['’]s[ \t]+/, "")) },
  // "Flat 6, Chyandour Terrace", "Unit 2, Mill Lane": a flat on a street named without a house number.
  { class: "STREET", pattern: new RegExp(String.raw`(?<![\p{L}\p{N}])(?:[Ff]lat|[Uu]nit|[Aa]pt|[Aa]partment)[ \t]+[\p{L}\p{N}]{1,4}[ \t]*,[ \t]*(?:\p{Lu}[\p{L}'’-]+[ \t]+){1,3}(?:${STREET_TYPES.split("|").map((t) => t[0]!.toUpperCase() + t.slice(1)).join("|")})\.?(?![\p{L}])`, "gu"), priority: 3 },
  // "22 Páirc an Mhuilinn", "4 Bóthar na Trá": a street in Irish, whose kind comes first.
  { class: "STREET", pattern: /(?<![\p{L}\p{N}])\d{1,5}[ \t]+(?:P[áa]irc|B[óo]thar|Sr[áa]id|Ascaill|Cearn[óo]g|L[áa]na|B[óo]ithr[íi]n|Ard[áa]n|Radharc|Pl[áa]s|C[ée]ide|C[úu]irt|Gleann|Cluain|Corr|Baile)[ \t]+(?:(?:an|na|an t-|Uí|Ui|Mhic|Ní)[ \t]+)?\p{Lu}[\p{L}'’-]+(?:[ \t]+\p{Lu}[\p{L}'’-]+)?/gu, priority: 3 },
  // "44 Kingsway", "9 Eastgate": one word that is a street by its ending.
  { class: "STREET", pattern: /(?<![\p{L}\p{N}])(?:(?:flat|unit|apt)\s+[\p{L}\p{N}]{1,4},\s*)?\d{1,5}\s+\p{Lu}\p{Ll}+(?:way|gate)\b/giu, priority: 3 },
  // "Hauptstraße 12", "Gartenweg 3a"
  { class: "STREET", pattern: /(?<![\p{L}])\p{Lu}[\p{L}-]*(?:straße|strasse|str\.|weg|platz|gasse|allee|damm|ring)\s+\d{1,4}[a-z]?\b/gu, priority: 3 },
  // "1802 Calle Ocho", "12 rue de la Paix": the number first, then a Spanish, French or Portuguese street word.
  { class: "STREET", pattern: new RegExp(String.raw`(?<![\p{L}\p{N}])\d{1,6}[ \t]+(?:[Cc]alle|[Aa]venida|[Cc]amino|[Pp]aseo|V[ií]a|[Rr]ue|[Rr]ua|[Bb]oulevard|[Cc]hemin|[Aa]venue|[Rr]oute|[Rr]ang)[ \t]+(?:(?:de|del|la|las|los|el|da|do|des|du|de la)[ \t]+)*\p{Lu}[\p{L}'’-]+(?:[ \t]+\p{Lu}[\p{L}'’-]+)?${UNIT}`, "gu"), priority: 3 },
  // "Glebe Cottage, Kilkee": a house known by its name, in an address (a comma and a capitalised place after it).
  { class: "STREET", pattern: /(?<![\p{L}\p{N}])\p{Lu}\p{Ll}+[ \t]+(?:Cottage|Farm|Farmhouse|House|Lodge|Villa)(?=,[ \t]*\p{Lu}\p{Ll}+,)/gu, priority: 2 },
  // "Knocknacarra, Co. Galway", "Co. Kerry": Irish counties, and the town before one.
  { class: "CITY", pattern: /(?<![\p{L}\p{N}])(?:\p{Lu}[\p{L}'’-]+(?:[ \t]+\p{Lu}[\p{L}'’-]+)?,?[ \t]+)?Co\.?[ \t]+\p{Lu}[\p{L}'’-]+/gu, priority: 3 },
  // "i live rr 3 kemptville": a rural route said as where one lives (alone, "RR 18" is a respiratory rate).
  { class: "STREET", pattern: /(?<=\b(?:live|lives|living|address|addr)\s+(?:at|on|in)?\s*)rr\s*#?\s*\d{1,2}\b/gi, priority: 4 },
  // A Canadian postcode in any case after a province ("kemptville on k0g 1j0"), or with its space in lower case.
  { class: "ZIP", pattern: /(?<![\w-])[a-z]\d[a-z] ?\d[a-z]\d(?![\w-])|(?<=\b(?:on|qc|bc|ab|mb|sk|ns|nb|nl|pe|yt|nt|nu)\.?,?\s+)[a-z]\d[a-z] ?\d[a-z]\d\b/gi, priority: 5, accept: notTnmStage },
  { class: "STREET", pattern: /\b(?:P\.?\s?O\.?\s+Box|Post Office Box|Apartado(?: de correos)?)\s+\d+/gi, priority: 3 },
  // "Rural Route 2, Box 14", "RR 1 Box 22", "HC 64 Box 3100"
  // "RR" and "HC" alone are a respiratory rate and a head circumference ("RR 18/min"): only with their box.
  { class: "STREET", pattern: /\b(?:(?:Rural\s+Route|Star\s+Route)\s+\d+(?:,?\s+Box\s+\d+)?|(?:RR|HC)\s+\d+,?\s+Box\s+\d+)/gi, priority: 4 },
  // ZIP after a state: "IL 62704", "Texas 73301-1234"; Spanish and other postal codes when labeled.
  // "kingscliff nsw 2487", "Geelong VIC 3220": an Australian postcode after its state (the short ones only in capitals: "the act 2010").
  { class: "ZIP", pattern: /(?<=\b(?:[Nn][Ss][Ww]|[Vv][Ii][Cc]|[Qq][Ll][Dd]|[Tt][Aa][Ss]|ACT|SA|WA|NT)\.?,?[ \t]+)\d{4}(?![\w-])/g, priority: 4 },
  { class: "ZIP", pattern: new RegExp(String.raw`(?<=(?:\b(?:${US_STATES})|${STATE_NAMES}),?\s+)\d{5}(?:-\d{4})?\b`, "gi"), priority: 4 },
  { class: "ZIP", pattern: /(?<=\b(?:zip|zip code|postal code|postcode|c\.?p\.?|c[oó]digo postal)\s*:?\s*)[A-Z0-9]{3,5}(?:[ -][A-Z0-9]{3,4})?\b/gi, priority: 4 },
  // "28013 Madrid", "80331 München": a postal code before a place name, after an address's comma.
  { class: "ZIP", pattern: new RegExp(String.raw`(?<![\p{N},.])\d{5}(?=\s+(?:${CAP}|[\p{Ll}]{3,}\b(?!\s*(?:mg|ml|ui|units))))`, "gu"), priority: 1, accept: (_v, text, start) => /(?:,|\d\s*º?\s*[a-z]?,?|c\/[^,]*,)\s*$/i.test(text.slice(Math.max(0, start - 30), start)) },
  // UK and Canadian postcodes.
  // Irish Eircodes: "D02 X285".
  { class: "ZIP", pattern: /\b[ACDEFHKNPRTVWXY]\d[0-9W]\s?[0-9ACDEFHKNPRTVWXY]{4}\b/g, priority: 3, accept: (value) => /\d/.test(value.slice(-4)) && /[A-Z]/.test(value.slice(-4)) },
  // Their shape is strong: they win over a name or facility pattern that took a piece ("London SE", "EH. Hospital").
  { class: "ZIP", pattern: /\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b/g, priority: 6, accept: notTnmStage },
  // "St. Mary's Hospital", "Mercy General Hospital", "Riverside Family Clinic". On one line: a heading above
  // ("DISCHARGE LETTER\nQueen Elizabeth University Hospital") took the name's first words and cut its head off.
  {
    class: "FACILITY",
    pattern: new RegExp(
      String.raw`(?:(?:St\.?|Saint|San|Santa)[ \t]+)?(?:${CAP}[ \t]+(?:(?:of|de|del|la|the|and|&)[ \t]+)?){1,4}(?:Hospital|Hosp\.?|Med\.?\s?Ctr\.?|Rehab(?:ilitation)?\s+(?:Cent(?:er|re)|Unit|Clinic|Institute)|(?:Family|Internal)\s+Med\b\.?|Medical Cent(?:er|re)|Health(?:care)? (?:Cent(?:er|re)|System)|Health Care|Health Partners|Health Services|Health Network|Healthcare|Medical|Manor|Lodge|Clinic|Infirmary|Hospice|Nursing Home|Care Home|Rehabilitation Cent(?:er|re)|Rehab|Urgent Care|Pharmacy|Surgery Cent(?:er|re)|Surgery|Medical Group|Practice|Family Practice|Children's|Memorial|Cancer Cent(?:er|re)|Dialysis Cent(?:er|re)|Imaging|Laboratories|Laboratory|Labs|PathLabs|IVF|Diagnostics|Nurse Services?|Nursing Services?|Home Health|Home Care|Pavilion|Pediatrics|Paediatrics|Associates|Family Medicine|Internal Medicine|Family Health Team|Health Team|Recovery House|Recovery Cent(?:er|re)|Treatment Cent(?:er|re)|Halfway House|Sober Living|Medicine|Health|Orthopedics|Orthopaedics|Cardiology|Dermatology|Dental|Fertility|Dialysis|Senior Living|Assisted Living|Retirement (?:Home|Community|Village)|Care Cent(?:er|re)|Chiropractic|Physiotherapy|Physical Therapy|Neurology|Oncology|Urology|Pathology|Gastroenterology|Pulmonology|Rheumatology|Endocrinology|Psychiatry|Ophthalmology|Optometry|Podiatry|Audiology|Radiology|Eye (?:Care|Cent(?:er|re)|Institute)|Behaviou?ral Health|Women's Health|Wellness Cent(?:er|re)|Walk-in Cent(?:er|re)|Healthcare|Health Services|Health Partners|Medical Associates|Health System|Health Care|Institute|Cancer Institute|Sleep Cent(?:er|re)|Birth(?:ing)? Cent(?:er|re)|${ORGANISATION_HEADS})\b(?:\s+of\s+(?:the\s+)?${CAP}(?:\s+${CAP}){0,2}|\s+for\s+(?:Sick\s+)?(?:Children|Women|Veterans|Special\s+Surgery))?`,
      "gu",
    ),
    priority: 5,
    // "the Family Medicine", "Internal Medicine", "Public Health": a kind of care, not a place.
    accept: (value) =>
      /\s/.test(value) &&
      // "Notify Children's endocrinology", "Give Children's Tylenol": an instruction's verb is no part of a name.
      !/^(?:Notify|Give|Call|Contact|Refer|Send|Ask|Tell|See|Try|Use|Take|Buy|Get|Bring|Inform|Phone|Fax|Email|Consult)\s/.test(value) &&
      !value.split(/\s+/).every((w) => /^(?:the|a|an|our|my|his|her|their|this|that|general|local|county|urgent|family|primary|internal|emergency|sports|public|mental|occupational|preventive|nuclear|tropical|travel|pediatric|adult|women's|men's|st\.?|saint|hospital|clinic|pharmacy|surgery|practice|medicine|health|team|recovery|treatment|associates|cardiology|dermatology|pediatrics|diagnostics|imaging|dental|care|center|centre|medical|group|senior|living|pathology|surgical|clinical|anatomical|molecular|chemical|biochemistry|infectious|diseases|sexual|paediatric|paediatrics|polytrauma|genetics|oncogenetics|assisted|retirement|home|community|chiropractic|physiotherapy|physical|therapy|neurology|oncology|urology|gastroenterology|pulmonology|rheumatology|endocrinology|psychiatry|ophthalmology|optometry|podiatry|audiology|radiology|eye|behavioral|behavioural|wellness|walk-in|healthcare|services|partners|system|network|manor|lodge|sleep|birth|birthing|fitness|gym|school|high|elementary|academy|daycare|day|nursery|preschool|kindergarten|skilled|nursing|country|golf|club|college|university|church|hotel|restaurant|bank|food|foods|store|market|depot|company|services|transportation|logistics|in|at|on|to|from|with|of|for|and|or|see|seen|by|dr\.?)$/i.test(w)),
  },
  // "Hospital for Special Surgery", "Institute of Child Health": the head word first.
  {
    class: "FACILITY",
    pattern: new RegExp(String.raw`(?<!\p{Lu}[\p{L}'’.-]*\s)\b(?:Hospital|Clinic|Infirmary|Institute|Cent(?:er|re))\s+(?:for|of)\s+(?:the\s+)?${CAP}(?:\s+(?:(?:and|&|of)\s+)?${CAP}){0,4}`, "gu"),
    priority: 5,
    // Not "Hospital for Crohn's disease" nor "Clinic for ECT": a condition or an acronym is what the patient is seen for.
    accept: (value) =>
      !value.split(/\s+/).some((w) => EPONYMS.has(w.toLowerCase().replace(/['’]s?$/, "")) || DRUGS.has(w.toLowerCase()) || /^\p{Lu}{2,5}$/u.test(w)),
  },
  // Lower-case typing: "st marys", "kings college hospital", "mercy general", "cvs", "walgreens"
  {
    class: "FACILITY",
    pattern: new RegExp(String.raw`(?<![\p{L}/])(?:st\.?\s+\p{L}+'?s(?:\s+(?:${LOWER_CASE_HEADS}))?\b|(?:(?!(?:${FACILITY_STOP_WORDS})\s)[\p{L}'’]+\s+){1,3}(?:${LOWER_CASE_HEADS})|(?!(?:${FACILITY_STOP_WORDS})\s)\p{L}+\s+general)\b`, "giu"),
    priority: 2,
  },
  // "Hospital Universitario La Paz", "Clínica San Roque", "Centro de Salud Delicias"
  {
    class: "FACILITY",
    pattern: new RegExp(
      String.raw`(?<!\p{Lu}[\p{L}'’.-]*[ \t])(?:${caseless("(?:hospital|hotel|colegio|escuela|instituto|gimnasio|guarder[ií]a|universidad|empresa|f[aá]brica|supermercado|cl[ií]nica|centro de salud|centro de sa[uú]de|centre de salut|centre d['’]atenci[oó] prim[aà]ria|centro m[eé]dico|policl[ií]nica|policl[ií]nico|complejo hospitalario|sanatorio|residencia|farmacia|ambulatorio|consultorios?|unidad de medicina familiar|centro de especialidades|laboratorio(?: cl[ií]nico)?|mutua)")}|CAP|CS|HU|HGU|HCU|HUC|CHU|H\.\s?U\.|H\.\s?G\.\s?U\.|Hosp\.|Klinikum)\s+(?:(?:de|del|la|las|los|el|y|rechts|links|der|am|an|da|das|do|dos|van|von)\s+)*${CAP}(?:\s+(?:(?:de|del|la|las|los|el|y|rechts|links|der|am|an|da|das|do|dos|van|von)\s+)*${CAP})*(?:(?<=\b(?:No|N[ºo°]|n\.º|n[uú]m|n[uú]mero)\.?)\s*\d{1,4}\b|\s+(?:No\.?|N[ºo°]\.?|n\.º|n[uú]m\.?|n[uú]mero)\s*\d{1,4}\b)?`,
      "gu",
    ),
    priority: 5,
    // "HOSPITAL COURSE:", "hospital stay": a chart's heading or the stay itself, not a hospital's name.
    accept: (value) => !/^\S+\s+(?:course|stay|admission|discharge|summary|notes?|records?|acquired|follow-up)$/i.test(value),
  },
  // "royal derby", "the Royal Women's", "prince of wales", "monash childrens": hospitals patients name by the crown's word or
  // by "children's" alone, in any case; not "royal jelly" nor "my children's".
  {
    class: "FACILITY",
    pattern: /(?<![\p{L}])(?:royal[ \t]+(?!(?:jelly|blue|family|flush|icing|wedding|highness|navy|air|marines|mail|society|college|pain|mess|pain)\b)\p{L}[\p{L}'’]+(?:[ \t]+(?:hospital|infirmary|free|children['’]?s))?|(?:prince|princess)[ \t]+of[ \t]+wales|queen[ \t]+elizabeth|king[ \t]+edward(?:[ \t]+vii)?|queen[ \t]+mary['’]?s?|princess[ \t]+alexandra|prince[ \t]+charles|sir[ \t]+charles[ \t]+gairdner)(?![\p{L}])/giu,
    priority: 1,
  },
  {
    class: "FACILITY",
    pattern: /(?<![\p{L}])\p{L}[\p{L}'’-]+[ \t]+children['’]?s(?![\p{L}])/giu,
    priority: 1,
    accept: (value) => {
      const first = value.split(/[ \t]+/)[0]!;
      // A town's name is no English word ("monash", "Perth"); "Give Children's Motrin", "my children's" are.
      return !isEnglishWord(first) || KEPT_PLACES.test(first);
    },
  },
  // "UMF 28", "HGZ No. 8": Mexican social-security units by number.
  { class: "FACILITY", pattern: /(?<![\p{L}])(?:UMF|HGZ|HGR|UMAA|HGS|UMAE|CMF)\s*(?:No\.?|N[ºo°]\.?|#)?\s*\d{1,4}\b/gu, priority: 5 },
  // "centro de salud pilarica", "ambulatorio de zarautz", "gimnasio basic fit": a Spanish facility typed in lower case; its name is
  // the next word that is no function word, and a second one when a function word or a stop follows it.
  {
    class: "FACILITY",
    pattern: new RegExp(String.raw`(?<![\p{L}])(?:(?:centro de salud|centro m[eé]dico|ambulatorio|consultorio|cl[ií]nica|residencia|colegio|escuela|instituto|gimnasio|guarder[ií]a)\s+|hospital\s+(?=de\s|del\s)|(?<=\b(?:el|al|del)\s+)hospital\s+)(?:(?:de|del|la|las|los|el|san|santa)\s+)*(?!(?:${SPANISH_STOP_WORDS})(?![\p{L}]))\p{Ll}[\p{L}'’-]{3,}(?:\s+(?!(?:${SPANISH_STOP_WORDS})(?![\p{L}]))\p{Ll}[\p{L}'’-]{2,}(?=\s*[,.;:!?()]|\s*$|\s+(?:el|la|los|las|y|o|e|en|a|al|que|con|${SPANISH_STOP_WORDS})(?![\p{L}])))?`, "gu"),
    // Over the English lower-case rule, which would take "llevamos al hospital".
    priority: 3,
  },
  // Health systems, chains and public insurers named alone: "seen at Piedmont", "DaVita Midtown", "afiliada al IMSS".
  { class: "FACILITY", pattern: new RegExp(String.raw`(?<![\p{L}])(?:${caseless(CHAINS_ANY_CASE)}|${CHAINS_CAPITALISED})(?:\s+(?:St\.?\s+)?\p{Lu}[\p{L}'’-]+){0,2}(?![\p{L}])`, "gu"), priority: 3 },
  // "works at Boeing", "trabajo en Mercadona": an employer, capitalised, after a word about work.
  {
    class: "FACILITY",
    pattern: new RegExp(String.raw`(?<=\b${caseless("(?:works?|worked|working|employed|employee|job|trabaj[oa]|trabajaba|trabajando|trabajamos|empleado|emplead[oa])\\s+(?:at|for|by|with|en|para|con)\\s+(?:the\\s+|la\\s+|el\\s+)?")})\p{Lu}[\p{L}'’&-]*(?:\s+(?:&\s+|and\s+|y\s+)?\p{Lu}[\p{L}'’&-]*){0,3}`, "gu"),
    priority: 1,
    accept: (value) => !KEPT_PLACES.test(value) && !/^(?:I|Me|Him|Her|Them|Us|Home|Night|Nights|Christmas|Easter)$/.test(value),
  },
  // "CLSC Hochelaga-Maisonneuve", "CEIP Gloria Fuertes", "CMN 20 de Noviembre", "CHI at Crumlin": a public service's
  // acronym (Quebec's local clinics, Spanish state schools, Mexico's and Ireland's hospital groups) before its name.
  { class: "FACILITY", pattern: /(?<![\p{L}\p{N}])(?:CLSC|CHSLD|CIUSSS|CISSS|GMF|CEIP|IES|CAP|CESFAM|CMN|CHI|UMF|HGZ|HGR|CRA|CEE|CPEIP|CAPS)[ \t]+(?:(?:at|de|del)[ \t]+)?(?:\d{1,3}[ \t]+(?:de[ \t]+)?)?\p{Lu}[\p{L}'’-]+(?:[ \t]+(?:de[ \t]+|del[ \t]+)?\p{Lu}[\p{L}'’-]+){0,2}/gu, priority: 3 },
  // "Clínica 33 del IMSS", "UMF 20", "Hospital General de Zona No. 1": a facility known by its number.
  { class: "FACILITY", pattern: /(?<![\p{L}\p{N}])(?:Cl[ií]nica|Unidad de Medicina Familiar|UMF|Hospital General de Zona|HGZ|Centro de Salud)[ \t]+(?:n[º°o]\.?[ \t]*)?\d{1,3}(?:[ \t]+del?[ \t]+(?:IMSS|ISSSTE|\p{Lu}{2,}))?/gu, priority: 3 },
  // "University College Cork", "University of Limerick", "Ohio State": a university named head first, or a state's.
  { class: "FACILITY", pattern: /(?<![\p{L}\p{N}])(?:University(?:[ \t]+College)?|Universidad|Instituto|Institute|Colegio)[ \t]+(?:(?:of|de|del|de la)[ \t]+)?\p{Lu}[\p{L}'’-]+(?:[ \t]+\p{Lu}[\p{L}'’-]+){0,2}|(?<=\b(?:at|student|attends|from|to)[ \t]+)\p{Lu}\p{Ll}+(?:[ \t]+\p{Lu}\p{Ll}+)?[ \t]+State\b/gu, priority: 3 },
  // "Creche (Little Acorns)", "school (lincoln elementary)", "rugby player (Ponsonby RFC)": a name in brackets right
  // after a word for a childcare, a school, a club or a team.
  {
    class: "FACILITY",
    pattern: /(?<=\b(?:creche|crèche|nursery|daycare|day care|preschool|pre-school|kindergarten|school|college|club|team|player|guarder[ií]a|colegio|escuela|instituto|equipo|club)\s*\(\s*)[\p{L}'’&. -]{3,40}(?=\s*\))/giu,
    priority: 2,
    accept: (value) => !/^(?:the|a|an|my|his|her|our|their|age|aged|yes|no|none|n\/a|el|la|mi|su)\b/i.test(value) && value.trim().split(/\s+/).length <= 4,
  },
  // "nursing home nazareth house", "care home seaview lodge": a home's name in lower case after its kind, ending in a home's word.
  { class: "FACILITY", pattern: /(?<=\b(?:nursing home|care home|rest home|retirement home|residential home)[ \t]+)[\p{L}'’-]+(?:[ \t]+[\p{L}'’-]+)?[ \t]+(?:house|lodge|manor|court|gardens|park|view|grange|hall)\b/giu, priority: 2 },
  // "nursing home (golden acres)", "residencia llamada Los Olmos": the name given right after the kind of home.
  {
    class: "FACILITY",
    pattern: new RegExp(String.raw`(?<=\b(?:nursing home|care home|rest home|group home|assisted living|memory care|senior living|retirement home|hospice|rehab|residencia(?: de ancianos| de mayores)?)\s*(?:\(\s*|called\s+|named\s+|llamada\s+))(?:[\p{L}'’&-]+\s+){0,2}[\p{L}'’&-]{3,}(?=\s*[),.;:]|\s+(?:in|en|at|of|de)\s)`, "giu"),
    priority: 2,
    accept: (value) => !value.split(/\s+/).some((w) => ENGLISH_WORDS.has(w.toLowerCase()) || SPANISH_WORDS.has(w.toLowerCase())),
  },
  // "Oak Tree Lodge care home", "Greenfield House nursing home": a home named before its kind.
  { class: "FACILITY", pattern: /\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,3}(?=\s+(?:care home|nursing home|rest home|retirement home|assisted living facility|group home)\b)/gu, priority: 3, accept: (value) => !/^(?:The|A|Our|My|His|Her|Their|This|That|Local|New|Old)$/.test(value) },
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
    // "and ID 99123": a function word before a state's code and a number is no town.
    accept: (value) => !value.split(/\s+/).some((w) => ENGLISH_WORDS.has(w.toLowerCase()) || SPANISH_WORDS.has(w.toLowerCase())),
  },
  { class: "CITY", pattern: new RegExp(String.raw`(?<v>${CAP}(?:\s+${CAP}){0,2})(?=,\s+(?:${STATE_NAMES})\b)`, "gu"), priority: 2 },
  // "lives in Tulsa", "moved to San Diego", "Vive con nosotros en Zaragoza", "natural de Bilbao"
  {
    class: "CITY",
    pattern: new RegExp(
      String.raw`(?<=\b${caseless(String.raw`(?:lives?|living|lived|moved|moving|relocated|resides|residing|reside|resident|grew up|born|from|visiting|vive|vivo|vivimos|viven|viv[ií]a|residente|natural|procedente|vecin[oa]|nacid[oa]|mud[oó]|mudamos|mudado|trasladad[oa]|we are|we're|i am|i'm|estamos|estoy)(?:\s+(?:de vacaciones|on holiday|on vacation|de viaje))?(?:\s+(?:con\s+(?:nosotros|ella|él|su\s+\p{L}+)|with\s+(?:us|me|her|him|his\s+\p{L}+|her\s+\p{L}+)|sol[oa]s?|juntos|juntas|alone|together|now|ahora))?\s+(?:(?:in|to|at|near|en|a|de|cerca de|outside|outside of)\s+)?`)})(?<v>${PLACE_CAP}(?:\s+(?:(?:de|del|la|el)\s+)?${PLACE_CAP}){0,2})`,
      "gu",
    ),
    priority: 1,
  },
  // After a postal code: "28013 Madrid", "80331 München", ", 28013 madrid"
  {
    class: "CITY",
    pattern: new RegExp(String.raw`(?<=(?:^|[,\n]\s*)\d{4,5}\s+)(?<v>\p{L}[\p{L}'’-]+(?:\s+(?:(?:de|del|la|el|los|las)\s+){0,2}\p{Lu}[\p{L}'’-]+){0,2})`, "gu"),
    priority: 1,
    // ", 2025 at 34 weeks": a year is no postal code.
    accept: (value, text, start) =>
      !/^(?:mg|ml|units?|patients?|pacientes|años|steps|pasos|apt|suite|ste|floor|piso|planta|at|on|in|to|and|y|en|de|el|la)$/i.test(value) &&
      !/(?:19|20)\d\d\s+$/.test(text.slice(Math.max(0, start - 6), start)),
  },
];
