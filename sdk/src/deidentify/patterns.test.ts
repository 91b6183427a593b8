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
