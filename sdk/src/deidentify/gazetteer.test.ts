import { describe, expect, it } from "vitest";
import { findIdentifierSpans } from "./find.js";

// Issue 19, recall round: each row is a case the de-identifier missed before its rule was added.
const classesIn = (text: string) => findIdentifierSpans(text).map((s) => `${s.class}:${s.value}`);

describe("towns and cities from the gazetteer", () => {
  it.each([
    ["a lower-case town after 'in' (gazetteer)", "fell at home in swindon, cut on shin", "CITY:swindon"],
    ["a town that is also Spanish words, in English text", "we r in el paso. pls answer", "CITY:el paso"],
    ["a capitalised town with no frame", "Waco has no sleep lab.", "CITY:Waco"],
    ["a word-like town after a home lead", "mi papá vive en santa tecla", "CITY:santa tecla"],
    ["a multiword town the recognizer cut", "11402 Jerez de la Frontera. Médico", "CITY:Jerez de la Frontera"],
    ["a lower-case town before a state name", "we live in boise idaho now", "CITY:boise"],
  ])("finds %s", (_what, text, expected) => {
    expect(classesIn(text)).toContain(expected);
  });

  it.each([
    "Epworth score 16, Glasgow coma scale 14, Parkinson's disease, Addison's disease.",
    "Seen at Christmas, read in Spanish.",
    "read in bed, sat in the garden, walked in the park",
  ])("keeps clinical and everyday words: %s", (text) => {
    expect(classesIn(text)).toEqual([]);
  });
});
