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

// Generalisation round: short dates decided by their numbers and the words around them (./short-dates.ts).
describe("day and month as two numbers", () => {
  it.each([
    ["a day above 12 with no word before", "Reported 2/27 by the lab", ["DATE:2/27"]],
    ["a zero-padded pair", "Collected 08/08 at 09:15.", ["DATE:08/08"]],
    ["an event a few words before", "Return to facility 11/6.", ["DATE:11/6"]],
    ["a day-first date", "cita revisada 23/4 en consulta", ["DATE:23/4"]],
    ["a list whose second date is sure", "betamethasone 12/12 and 12/13.", ["DATE:12/12", "DATE:12/13"]],
    ["a date after 'b4'", "need clearance b4 8/20 for football", ["DATE:8/20"]],
    ["an age before a sentence's stop", "Name Edith Crowley, age 92. Next INR", ["AGE:92"]],
  ])("finds %s", (_what, text, expected) => {
    expect(classesIn(text)).toEqual(expect.arrayContaining(expected));
  });

  it.each([
    "power 4/5 in the left arm, 3/6 systolic murmur, pain 7/10, VA 6/9, for 3/7, Apgar 8/9.",
    "24/7 support; 5/5 strength; 2/3 of patients; 4/16 cores positive; 3/14 nodes; GCS 15/15; BP 120/80; recheck in 2/52.",
    "A1c went from 8.4 to 6.6; Hgb on discharge 8.9 g/dL; 1 1/2 tabs.",
    "Blood cultures 2/2 positive, 0/4 bottles; PHQ-9 14/27; MoCA 24/30; RR 18/min; Apgars 8/9.",
  ])("keeps scores, fractions and durations: %s", (text) => {
    expect(classesIn(text)).toEqual([]);
  });
});

// Issue 19, round-2 kinds (new text, not the corpus's).
describe("dates and ages of the round-2 kinds", () => {
  it.each([
    ["an age in words after 'is'", "my gran Rose is ninety-four and lives alone", "AGE:ninety-four"],
    ["an age after a name and a full stop", "for my uncle Tomas Reyes, 93. He fell", "AGE:93"],
    ["an age after an aside in brackets", "Henry Osei (Harry), 101, on aspirin", "AGE:101"],
    ["a short weekday with an ordinal", "clinic booked weds 14th at 10", "DATE:weds 14th"],
    ["each day of a log with its readings", "glucose diary: 5/2 7.8, 5/3 9.1, 5/4 6.5", "DATE:5/4"],
  ])("finds %s", (_what, text, expected) => {
    expect(classesIn(text)).toContain(expected);
  });

  it.each([
    "the test was ninety percent sensitive; sat 94 on RA",
    "power 3/4 in the left arm, then 3/4 of a tab",
    "Heart rate low, 95. BP 120/80, 92.",
  ])("keeps %s", (text) => {
    expect(classesIn(text)).toEqual([]);
  });
});
