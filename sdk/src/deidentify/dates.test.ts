import { describe, expect, it } from "vitest";
import { findIdentifierSpans } from "./find.js";

// Issue 19, recall round: each row is a case the de-identifier missed before its rule was added.
const classesIn = (text: string) => findIdentifierSpans(text).map((s) => `${s.class}:${s.value}`);

describe("dates and ages over 89", () => {
  it.each([
    ["a weekday before a date", "in hospital since tues 3/6 with uti", "DATE:tues 3/6"],
    ["a dotted date", "seen 5.3.25 in clinic", "DATE:5.3.25"],
    ["a month and a two-digit year", "born in Dec '89", "DATE:Dec '89"],
    ["a day in Spanish", "fiebre desde el día 12", "DATE:12"],
    ["an age right after a name", "pls help my nan edna 99 fell @ home", "AGE:99"],
    ["an age with no word for years", "Im 93, my grandson is typing", "AGE:93"],
    ["an age in words", "a ninety-one year old woman", "AGE:ninety-one"],
    ["an age by birthday", "for her 95th birthday", "AGE:95th"],
  ])("finds %s", (_what, text, expected) => {
    expect(classesIn(text)).toContain(expected);
  });

  it.each([
    "pain 7/10, 1/2 tab, version 2.0, she is 89, HR 95 bpm.",
    "I'm 93 kg; tiene 96 de saturación; the 3.5 mg dose.",
  ])("keeps clinical and everyday words: %s", (text) => {
    expect(classesIn(text)).toEqual([]);
  });
});
