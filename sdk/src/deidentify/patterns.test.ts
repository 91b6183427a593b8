import { describe, expect, it } from "vitest";
import { findIdentifierSpans } from "./find.js";

// Issue 19, recall round: each row is a case the de-identifier missed before its rule was added.
const classesIn = (text: string) => findIdentifierSpans(text).map((s) => `${s.class}:${s.value}`);

describe("labeled and shaped numbers", () => {
  it.each([
    ["a labeled number led by letters", "insurance # UHC 998 221 0045", "PLAN:UHC 998 221 0045"],
    ["a labeled number led by a code typed in lower case", "member id mbr 7712 pls", "PLAN:mbr 7712"],
    ["a labeled number after an insurer's name", "Su número de afiliación IMSS es 4312 87 6541 2.", "PLAN:4312 87 6541 2"],
    ["the last digits of an SSN", "SSN on file ends 4471.", "SSN:4471"],
    ["a Mexican CURP", "CURP RASJ750312HDFMTR09, domicilio", "SSN:RASJ750312HDFMTR09"],
    ["a Medicare MBI with no label", "card shows 1EG4-TE5-MK73.", "PLAN:1EG4-TE5-MK73"],
    ["a device lot", "hip implant lot LT-55392-B.", "DEVICE:LT-55392-B"],
    ["a lab number", "Lab no. M25/044871. Urine", "ID:M25/044871"],
    ["a MAC address", "pump MAC 00:1B:44:11:3A:B7", "DEVICE:00:1B:44:11:3A:B7"],
    ["a number after '#'", "Rx #4471882 is ready", "ID:4471882"],
  ])("finds %s", (_what, text, expected) => {
    expect(classesIn(text)).toContain(expected);
  });

  it.each([
    "insurance pays 1200 dollars; a group of 120 patients; a lot of pain.",
    "policy changes in 2024; card declined.",
  ])("keeps clinical and everyday words: %s", (text) => {
    expect(classesIn(text)).toEqual([]);
  });
});

// Generalisation round: identifiers in unusual formats.
describe("identifiers in unusual formats", () => {
  it.each([
    ["a label written together with its number", "Patient Frank Novak (MRN88120043).", "MRN:MRN88120043"],
    ["a short code of capitals and digits after a label", "the transmitter ID 8G4RTW and the lot 5261447.", "DEVICE:8G4RTW"],
    ["a check letter after a serial", "ICD serial PJN 558102 S checked by the rep", "DEVICE:PJN 558102 S"],
    ["a country code after a card number", "Tarjeta sanitaria QNTR 550912 ES. Gracias", "PLAN:QNTR 550912 ES"],
    ["a hyphenated code led by letters", "Donor code SF-D-4471. Volume 2.8 mL", "ID:SF-D-4471"],
    ["a number after what a card says", "insurance card says KP 004 7719 23", "PLAN:KP 004 7719 23"],
    ["a plate far from its label", "plate of the car that hit him CXR-4471. go to er", "ID:CXR-4471"],
  ])("finds %s", (_what, text, expected) => {
    expect(classesIn(text)).toContain(expected);
  });

  it.each([
    "Genetic testing report: BRCA1 c.68_69delAG; HER2 3+; HLA-B27 positive; COVID-19 and ICD-10 codes.",
    "Dexcom G7 and Libre 3 sensors; ECOG 1; CA-125 of 35.",
  ])("keeps genes, stages and products: %s", (text) => {
    expect(classesIn(text)).toEqual([]);
  });

  it("takes no word after a number as its check letter", () => {
    expect(classesIn("MRN 4471223 I think, and ID 99123 A new one")).toEqual(["MRN:4471223", "ID:99123"]);
  });
});
