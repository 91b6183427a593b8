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
