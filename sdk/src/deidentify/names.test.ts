import { describe, expect, it } from "vitest";
import { findIdentifierSpans } from "./find.js";

// Issue 19, recall round: each row is a case the de-identifier missed before its rule was added.
const classesIn = (text: string) => findIdentifierSpans(text).map((s) => `${s.class}:${s.value}`);

describe("people's names", () => {
  it.each([
    ["a first name the recognizer does not know", "Kwame Mensah presented with chest pain.", "NAME:Kwame Mensah"],
    ["a lower-case first name of the list", "hlo docter my fathr raju sugar 350", "NAME:raju"],
    ["a name after 'spoke with'", "Spoke with Oluwaseun Adeyemi about the results.", "NAME:Oluwaseun Adeyemi"],
    ["a name in brackets after a relation", "Mother (Ngozi) at bedside.", "NAME:Ngozi"],
    ["a word-like first name after a family word", "dad ray picked me up", "NAME:ray"],
    ["a name with an age between commas", "Dear colleague, Anneke de Vries, 58, from Rotterdam", "NAME:Anneke de Vries"],
    ["a name prefix the recognizer split off", "Discharge summary for Mohammed Al-Rashid, seen", "NAME:Mohammed Al-Rashid"],
    ["Last, First after a provider label", "Ordering provider Okoro, Adaeze (NPI 1598867743)", "NAME:Okoro, Adaeze"],
    ["a Spanish short form", "llamo por mi tía concha que está mal", "NAME:concha"],
  ])("finds %s", (_what, text, expected) => {
    expect(classesIn(text)).toContain(expected);
  });

  it.each([
    "The nurse line is open. Hodgkin lymphoma, Down syndrome.",
    "mi hijo tiene fiebre y mi papá vive lejos. my son will be fine.",
  ])("keeps clinical and everyday words: %s", (text) => {
    expect(classesIn(text)).toEqual([]);
  });
});

// Generalisation round: names by role, nickname, brackets, verb and form shape.
describe("names by frame and shape", () => {
  it.each([
    ["a name after a role", "Coach Dorsey called 911.", "NAME:Dorsey"],
    ["a nickname said as one", "the pharmacy has it under my nickname, goes by jojo", "NAME:jojo"],
    ["lower-case names in brackets after a family word", "dad (frank mcallister, 92yo) fell again", "NAME:frank mcallister"],
    ["a Spanish name before a verb after a family word", "mi abuela remedios vive en Valencia", "NAME:remedios"],
    ["a surname the recognizer tags otherwise", "To the sleep clinic: Marguerite Bellamy (NHS No. 485 777 3456)", "NAME:Marguerite Bellamy"],
    ["a form's name in capitals", "CBC w/ diff - SMITH, JOHN A - Specimen", "NAME:SMITH, JOHN A"],
    ["a framed name cut by a facility after it", "mi medico es la dra ortega del centro de salud las fuentes", "NAME:ortega"],
  ])("finds %s", (_what, text, expected) => {
    expect(classesIn(text)).toContain(expected);
  });

  it.each([
    "my son (who is 5) has a rash; mi hijo mayor tiene fiebre; mi madre ya no come.",
    "CULTURE, BLOOD: no growth. RESULT: NEGATIVE, FINAL.",
  ])("keeps clinical and everyday words: %s", (text) => {
    expect(classesIn(text)).toEqual([]);
  });
});

// Issue 19, round-2 kinds (new text, not the corpus's).
describe("names of the round-2 kinds", () => {
  it.each([
    ["a form's surname and given names after a title", "Patient: Mr OKAFOR, Chinedu Emeka  DOB 2/3/1970", "NAME:OKAFOR, Chinedu Emeka"],
    ["a form's name after 'report:'", "Pathology report: Byrne, Siobhan M.  MRN 4411", "NAME:Byrne, Siobhan M"],
    ["a name right before one of its identifiers", "swab result - Tama Ngata NHI ABC1234 - MRSA", "NAME:Tama Ngata"],
    ["a guardian's name after its label", "Parent/guardian: Ifeoma Eze, phone on file", "NAME:Ifeoma Eze"],
    ["an eponym as a surname after a first name", "Re: Laura Parkinson, 52. Tremor", "NAME:Laura Parkinson"],
    ["a name at a line's start after a place", "Ward 4B, Cork\nSiobhan Hegarty, 71F, admitted", "NAME:Siobhan Hegarty"],
    ["a first name joined to a full name", "Parents Niamh and Darragh Whelan visited", "NAME:Niamh"],
    ["a surname in capitals after a name in capitals", "MY MUM MAUREEN KELLY IS 80 AND", "NAME:KELLY"],
    ["a Spanish surname in capitals before a comma", "PARA MI PADRE JOSÉ MARTÍNEZ, TIENE FIEBRE", "NAME:MARTÍNEZ"],
  ])("finds %s", (_what, text, expected) => {
    expect(classesIn(text)).toContain(expected);
  });

  it.each([
    "Diagnosis: Pneumonia, Left Lower lobe",
    "History of Parkinson Disease, 45 years",
    "Co. Kerry",
  ])("keeps %s", (text) => {
    expect(classesIn(text).filter((s) => s.startsWith("NAME:"))).toEqual([]);
  });

  it("takes no drug joined to a name and no form label in capitals as a name", () => {
    expect(classesIn("Tylenol and Mary Smith")).toEqual(["NAME:Mary Smith"]);
    expect(classesIn("PACIENTE: PÉREZ, ANA  EDAD: 58")).not.toContain("NAME:EDAD");
  });
});
