import { describe, expect, it } from "vitest";
import { findIdentifierSpans } from "./find.js";
import { luhnCheck, norwegianCheck, peselCheck, rutCheck } from "./national-ids.js";
import { undoOcrSlips } from "./ocr.js";
import { isSpecialty } from "./specialties.js";
import { isEnglishWord } from "./vocabulary.js";

// Round 5's causes of misses and false positives, each a mechanism: the rows are new text, not the corpus's.
const found = (text: string) => findIdentifierSpans(text).map((s) => `${s.class}:${s.value}`);
/** Whether every letter and digit of `value` is inside some span: what the benchmark counts as removed. */
const removes = (text: string, value: string) => {
  const spans = findIdentifierSpans(text);
  const start = text.indexOf(value);
  return [...value].every((c, i) => !/[\p{L}\p{N}]/u.test(c) || spans.some((s) => s.start <= start + i && start + i < s.end));
};

describe("national identity numbers by their country's scheme", () => {
  it.each([
    ["a Chilean RUT in dotted thousands", "Derivo a la paciente, RUT 12.345.678-5, por disnea.", "12.345.678-5"],
    ["a dotted number with a check K and no label", "Paciente Tomás Ried 7.654.321-K, 60 años", "7.654.321-K"],
    ["an HKID with its check digit in brackets", "His ID card A123456(3) is with the nurse.", "A123456(3)"],
    ["a Pakistani CNIC", "CNIC 42101-1234567-1 on file", "42101-1234567-1"],
    ["a Norwegian number by its check digits", "mitt nummer 01010100050, takk", "01010100050"],
    ["a Philippine PhilHealth number", "Member 12-345678901-2, dependents none", "12-345678901-2"],
    ["a Brazilian CPF", "CPF 123.456.789-09 do paciente", "123.456.789-09"],
  ])("finds %s", (_what, text, value) => {
    expect(removes(text, value)).toBe(true);
  });

  it.each(["plaquetas 250.000/mm3, leucocitos 12.345, rango 4.5-11.0, versión 2.1.3-1", "Na 141-145, K 3.5-5.1, 12345678 cells/µL"])("keeps lab values and counts: %s", (text) => {
    expect(found(text).filter((f) => f.startsWith("SSN"))).toEqual([]);
  });

  it("checks the check digits", () => {
    expect(rutCheck("12.345.678-5")).toBe(true);
    expect(rutCheck("12.345.678-4")).toBe(false);
    expect(norwegianCheck("01010100050")).toBe(true);
    expect(norwegianCheck("01010100051")).toBe(false);
    expect(peselCheck("44051401359")).toBe(true);
    expect(peselCheck("44051401358")).toBe(false);
    expect(luhnCheck("8001015009087")).toBe(true);
  });
});

describe("numbers behind a label of their issuer", () => {
  it.each([
    ["a folder number led by the hospital's code", "Folder no.: ABH 0012 334 5   Ward 3", "ABH 0012 334 5"],
    ["an inpatient number of two codes and digits", "IP No.: KNH/IP/0012345 admitted", "KNH/IP/0012345"],
    ["a council registration", "Dr Anil Rao, KMC Reg. 45872", "45872"],
    ["an Argentine matrícula", "Dra. Paula Giménez, MP 33.871", "33.871"],
    ["a plate beside its vehicle", "they towed my truck, KX 442 BZ, last night", "KX 442 BZ"],
    ["a plate before the word plate", "hit by a car (8ABC123, NY plate) on Tuesday", "8ABC123"],
    ["a phone with its extension", "ring the ward on 0161 276 1234 ext 4412.", "0161 276 1234 ext 4412"],
    ["an Indian mobile in two fives", "Mother Sunita: 99876 54321.", "99876 54321"],
  ])("finds %s", (_what, text, value) => {
    expect(removes(text, value)).toBe(true);
  });

  it.each(["CI 95% 1.2-3.4, IP 3 times, reg insulin 10 units, car 2 kids in the back, my van (40 MPH) was fine"])("keeps statistics, doses and speeds: %s", (text) => {
    expect(found(text)).toEqual([]);
  });
});

describe("dates said with names", () => {
  it.each([
    ["a month named alone in lower case", "my exam is in june, can i stop the pills?", "DATE:june"],
    ["a holiday after a word of time", "She has been dizzy since Christmas.", "DATE:Christmas"],
    ["a short month glued to its day", "surgery booked Oct-12 at the day unit", "DATE:Oct-12"],
    ["a month in Roman numerals", "biopsia del 12-XI-2025 sin cambios", "DATE:12-XI-2025"],
  ])("finds %s", (_what, text, expected) => {
    expect(found(text)).toContain(expected);
  });

  it.each(["This may help. They march on. I may be late.", "Mayo score 2; Mar Menor beach; she is at Mayo Clinic"])("keeps verbs and names that are months: %s", (text) => {
    expect(found(text).filter((f) => f.startsWith("DATE"))).toEqual([]);
  });
});

describe("names written surname first", () => {
  it.each([
    ["surname in capitals, given names capitalised", "Patient: DELA PAZ, Ana Liza M.   Ward 4", "DELA PAZ, Ana Liza M"],
    ["all in capitals", "Name: LIM CHEE KEONG, BENJAMIN   Visit 2", "LIM CHEE KEONG, BENJAMIN"],
    ["an initial after the comma", "2 | OKONKWO-ADEBAYO, T | sepsis", "OKONKWO-ADEBAYO, T"],
  ])("finds %s", (_what, text, value) => {
    expect(removes(text, value)).toBe(true);
  });

  it.each(["PLAN, Continue metformin. NOTE, Patient stable. CBC, Normal. CHAVIS, ANGELA MD"])("keeps headings and degrees: %s", (text) => {
    expect(found(text).join(" ")).not.toMatch(/PLAN|NOTE|CBC|MD/);
  });
});

describe("names and towns typed in lower case", () => {
  it.each([
    ["a name after an introduction", "hi i am oluwadamilare from the group, my baby has fever", "oluwadamilare"],
    ["a name after a carer's title", "the midwife tsholofelo said to come in", "tsholofelo"],
    ["a town after where someone lives", "we live in mitcham and the gp is shut", "mitcham"],
    ["a town after a clinic", "the clinic in khayelitsha gave me antibiotics", "khayelitsha"],
    ["a signature with an initial", "checked by j. wojciechowski (pharm) 12/03", "j. wojciechowski"],
  ])("finds %s", (_what, text, value) => {
    expect(removes(text, value)).toBe(true);
  });

  it.each(["im bipolar and i am gonna ask", "i am diabetic, we live in fear of hypos, the clinic in town is shut", "pain in abdo, in utero exposure"])("keeps words and shorthand: %s", (text) => {
    expect(found(text).filter((f) => f.startsWith("NAME") || f.startsWith("CITY"))).toEqual([]);
  });

  it("knows English words and not names", () => {
    expect(["tired", "kidney", "rash", "fax", "bipolar"].every(isEnglishWord)).toBe(true);
    expect(["vikram", "umlazi", "abdirahman"].some(isEnglishWord)).toBe(false);
  });
});

describe("what OCR mixes up", () => {
  it.each([
    ["a letter O in a date", "DOB: O4/1O/1950  Ward 2", "O4/1O/1950"],
    ["a zero in a surname", "Pt: W1LLIAMS, Gare7h   bed 4", "W1LLIAMS"],
    ["a letter O in a bracketed area code", "son Peter (O3) 9555 1234", "(O3) 9555 1234"],
  ])("finds %s", (_what, text, value) => {
    expect(removes(text, value)).toBe(true);
  });

  it("undoes slips one character for one and leaves codes", () => {
    expect(undoOcrSlips("MRN 4471O23, Dav1d, on O2 2L, HbA1c 7.1")).toBe("MRN 4471023, David, on O2 2L, HbA1c 7.1");
  });
});

describe("departments, scores and systems are no place", () => {
  it.each([
    ["a specialty after a hospital", "St Thomas' Hospital, Neurology\nPatient seen"],
    ["a staging system named after a town", "Staged by the Ann Arbor system; Ottawa ankle rules negative."],
    ["an index named after people", "Harvey-Bradshaw index 4; índice de Harvey-Bradshaw 4."],
  ])("keeps %s", (_what, text) => {
    expect(found(text).join(" ")).not.toMatch(/Neurology|Ann Arbor|Ottawa|Harvey/);
  });

  it("tells a specialty from a facility's name", () => {
    expect(isSpecialty("Clinical Biochemistry")).toBe(true);
    expect(isSpecialty("Dear Cardiology Team")).toBe(true);
    expect(isSpecialty("Clinipath Pathology")).toBe(false);
  });
});

describe("streets of round 5's kinds", () => {
  it.each([
    ["a Spanish floor and door", "Domicilio: C/ Mayor 14, 3.º dcha., 28013 Madrid.", "C/ Mayor 14, 3.º dcha."],
    ["a Polish street", "the chemist on ul. Floriańska 12 shut", "ul. Floriańska 12"],
    ["a Spanish street in lower case", "me caí en avenida rivadavia ayer", "avenida rivadavia"],
    ["a Canadian unit-dash number", "SHOPPERS  3-1180 QUEEN ST E\nRx 123", "3-1180 QUEEN ST E"],
  ])("finds %s", (_what, text, value) => {
    expect(removes(text, value)).toBe(true);
  });

  it.each(["vive en la calle principal, calle abajo"])("keeps what names no street: %s", (text) => {
    expect(found(text)).toEqual([]);
  });
});

// Round 4's misses still left by the rules when round 5 was read: causes of the same families.
describe("kinds round 4 had that the rules still missed", () => {
  it.each([
    ["a British National Insurance number with no label", "his number is JG 10 37 52 C, thanks", "JG 10 37 52 C"],
    ["a British plate of the current kind", "parking fine for BD51 SMR again", "BD51 SMR"],
    ["a national day", "fell off a ladder on Canada Day: wrist fracture", "Canada Day"],
    ["a day, a Spanish month's short name and a year", "Fecha: 02-dic-2025\nIbuprofeno", "02-dic-2025"],
    ["a number after 'afiliado de' and the insurer", "su afiliado de osep es 1-2345678-9-00", "1-2345678-9-00"],
    ["a phone after its label, over a postal code's shape", "Mobile: 97654 32109\nLipid profile", "97654 32109"],
    ["a Catalan health centre", "Sol·licita: Dra. Puig, Centre de Salut de Manlleu.", "Centre de Salut de Manlleu"],
    ["an Argentine postal code in brackets", "Vive en Salta (A4400), con su hijo", "A4400"],
    ["a numbered street of a grid", "con domicilio en calle 12 n.º 845, declaro", "calle 12 n.º 845"],
    ["a lower-case name before 'here'", "wiremu here, 38, my knee is swollen", "wiremu"],
    ["a lower-case name before a bracketed phone", "ok thanks. saoirse (087 123 4567) - can i take it", "saoirse"],
    ["a signature's initial and surname", "charged twice this month. p. okonjo-iweala", "p. okonjo-iweala"],
    ["a Spanish town after a word of residence", "es grave? vivimos en villa gesell", "villa gesell"],
    ["a surname with a particle", "Patient: TE KANAWA, Aroha Mere   NHI: ABC1234", "TE KANAWA, Aroha Mere"],
  ])("finds %s", (_what, text, value) => {
    expect(removes(text, value)).toBe(true);
  });

  it.each([
    "vivo en casa de mi hija, soy de aquí.",
    "PEG feeds via NG 12 hours; via oral 500 mg",
    "Medicare 3117 06482 5\nHbA1c 10.8% (95 mmol/mol)",
  ])("keeps what is no name, town, street or number: %s", (text) => {
    expect(found(text).join(" ")).not.toMatch(/CITY|NAME|STREET|HbA1c/);
  });
});

describe("people named in forms, lists and introductions", () => {
  it.each([
    ["a Malay patronymic", "I'm Siti Hajar binti Osman, 41, and I have asthma.", "Siti Hajar binti Osman"],
    ["a child after a form's label, with an age in years", "Child: Tiwonge Phiri, 4 y, weight 14 kg", "Tiwonge Phiri"],
    ["a nurse in charge", "NIC: Shaz  bleep 4412", "Shaz"],
    ["a surname in capitals and an initial on a bed board", "3 | OYELARAN K. | pneumonia", "OYELARAN K."],
    ["a Spanish child after 'mi niña'", "a mi niña guadalupe (3 años) le salió fiebre", "guadalupe"],
    ["a name introduced with the age after it", "q tal, soy nacho, 22, de mendoza.", "nacho"],
  ])("finds %s", (_what, text, value) => {
    expect(removes(text, value)).toBe(true);
  });

  it.each(["im tired, 2 days of fever", "soy diabético, 45 años", "NOTE A. see below", "urosepsis (ESBL E. coli)", "mi bebé nació el 14/08"])("keeps states and headings: %s", (text) => {
    expect(found(text).filter((f) => f.startsWith("NAME"))).toEqual([]);
  });
});

describe("hospitals named without a head word", () => {
  it.each([
    ["a hospital by the crown's word, in lower case", "the midwife at the royal hobart said to rest", "royal hobart"],
    ["a children's hospital by its town alone", "we were at perth childrens all night", "perth childrens"],
    ["a hospital by a royal's name", "transferred to princess of wales on monday", "princess of wales"],
  ])("finds %s", (_what, text, value) => {
    expect(removes(text, value)).toBe(true);
  });

  it.each(["my children's school asked; royal jelly and the royal family"])("keeps what names no hospital: %s", (text) => {
    expect(found(text).filter((f) => f.startsWith("FACILITY"))).toEqual([]);
  });
});

describe("names spelt with letters English does not use", () => {
  it.each([
    ["an Irish name", "My aunt Síle Ní Bhriain is with me", "Síle Ní Bhriain"],
    ["an Icelandic name", "Patient: Þórdís Björk Hauksdóttir, 52", "Þórdís Björk Hauksdóttir"],
  ])("finds %s", (_what, text, value) => {
    expect(removes(text, value)).toBe(true);
  });

  it.each(["Ménière's disease, Sjögren's syndrome and Henoch-Schönlein purpura; Guillain-Barré ruled out"])("keeps eponyms: %s", (text) => {
    expect(found(text)).toEqual([]);
  });
});
