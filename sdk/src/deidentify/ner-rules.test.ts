import { describe, expect, it } from "vitest";
import { findIdentifierSpans, ruleSpans } from "./find.js";
import { NER_TAGS, ruleLabels, tokenFeatures, tokenize } from "./ner-features.js";
import { serializeWeights, trainTagger, type TrainingText } from "./ner-train.js";
import { modelSpans, spansOfTags, type TaggerWeights } from "./ner.js";

// The recognizer reading the rules' findings (their labels are features), and what is done with its spans after.

/** Weights by hand: each feature gives one tag one weight; O gets 1 from the bias, so any tagged token beats it. */
function handWeights(entries: Record<string, [string, number]>): TaggerWeights {
  const weights: TaggerWeights = new Map([["bias", Float64Array.from(NER_TAGS, (t) => (t === "O" ? 1 : 0))]]);
  for (const [feature, [tag, value]] of Object.entries(entries)) {
    const w = new Float64Array(NER_TAGS.length);
    w[NER_TAGS.indexOf(tag as (typeof NER_TAGS)[number])] = value;
    weights.set(feature, w);
  }
  return weights;
}

describe("the rules' labels as features", () => {
  it("labels a token inside a rule's span with its class, the first one as first", () => {
    const text = "Seen at Kingston Health today";
    const labels = ruleLabels(tokenize(text), [{ start: 8, end: 23, class: "FACILITY" }]);
    expect(labels.map((l) => l.label)).toEqual(["O", "O", "FACILITY", "FACILITY", "O"]);
    expect(labels.map((l) => l.first)).toEqual([false, false, true, false, false]);
    expect(tokenFeatures(text, tokenize(text), false, [{ start: 8, end: 23, class: "FACILITY" }])[2]).toContain("rule=FACILITY|first=true");
  });

  it("keeps every token O where the rules found nothing", () => {
    const text = "Metformin 500 mg daily";
    expect(ruleLabels(tokenize(text), ruleSpans(text)).map((l) => l.label)).toEqual(["O", "O", "O", "O"]);
  });

  const texts: TrainingText[] = ["Seen with Arvid Lunde today.", "Spoke to Brona Keane about results."].map((text) => {
    const name = /[A-Z][a-z]+ [A-Z][a-z]+/.exec(text)!;
    return { text, spanish: false, spans: [{ start: name.index, end: name.index + name[0].length, group: "names" as const }], rules: ruleSpans(text) };
  });

  it("finds the rules' labels among what it learns from, and hiding every rule span is training without them", () => {
    expect(texts.every((t) => t.rules!.length > 0)).toBe(true);
    const withRules = serializeWeights(trainTagger(texts, { epochs: 3 }), 1);
    expect(withRules).toMatch(/^rule=NAME\|first=true\t/m);
    const allHidden = serializeWeights(trainTagger(texts, { epochs: 3, ruleDropout: 1 }), 1);
    expect(allHidden).toBe(serializeWeights(trainTagger(texts.map((t) => ({ ...t, rules: [] })), { epochs: 3 }), 1));
  });

  it("keeps the rules' labels when none is hidden: no dropout trains as before", () => {
    expect(serializeWeights(trainTagger(texts, { epochs: 3, ruleDropout: 0 }), 1)).toBe(serializeWeights(trainTagger(texts, { epochs: 3 }), 1));
  });
});

describe("what is done with the model's spans", () => {
  const text = "DISCHARGE SUMMARY - Kingston Health Sciences Centre\nPatient: Lach Smith";
  // The rule's facility is "Kingston Health" (its heads know "Health", not "Sciences Centre"); the model runs on.
  const runOn = handWeights({ "rule=FACILITY|first=true": ["B-locations", 10], "rule=FACILITY|first=false": ["I-locations", 10], "w=sciences": ["I-locations", 10], "w=centre": ["I-locations", 10] });

  it("finds a rule's place whole where the model's span of the same group runs past it", () => {
    expect(ruleSpans(text).map((s) => s.value)).toContain("Kingston Health");
    const found = findIdentifierSpans(text, {}, [], { model: { weights: runOn, threshold: 0 } });
    expect(found.map((s) => `${s.class}:${s.value}`)).toContain("FACILITY:Kingston Health Sciences Centre");
  });

  it("keeps a rule's span as it was where the model's overlapping span is of another group", () => {
    const asName = handWeights({ "rule=FACILITY|first=true": ["B-names", 10], "rule=FACILITY|first=false": ["I-names", 10], "w=sciences": ["I-names", 10], "w=centre": ["I-names", 10] });
    const found = findIdentifierSpans(text, {}, [], { model: { weights: asName, threshold: 0 } });
    expect(found.map((s) => `${s.class}:${s.value}`)).toContain("FACILITY:Kingston Health");
  });

  it("finds a span over words on one line, and keeps a line break as its end", () => {
    const tokens = tokenize("Ana Ruiz\nNº 12");
    const tags = [1, 2, 2, 0];
    const margins = [5, 5, 5, 5];
    expect(spansOfTags(tokens, tags, margins, "Ana Ruiz\nNº 12").map((s) => [s.start, s.end])).toEqual([[0, 8], [9, 11]]);
    expect(spansOfTags(tokens, tags, margins).map((s) => [s.start, s.end])).toEqual([[0, 11]]);
  });

  // A model sure that the word after "wife" is a name, whatever it is.
  const afterWife = handWeights({ "pw=wife|cap=false": ["B-names", 40] });

  it("finds a lower-case name no list knows in English text, where the model is sure", () => {
    expect(modelSpans("wife priyanka has diabetes", false, { weights: afterWife, threshold: 0 }).map((s) => s.value)).toEqual(["priyanka"]);
  });

  it("keeps a lower-case dictionary word, a Spanish text's word, and a name the model is unsure of", () => {
    expect(modelSpans("wife walking again", false, { weights: afterWife, threshold: 0 })).toEqual([]);
    expect(modelSpans("wife priyanka has diabetes", true, { weights: afterWife, threshold: 0 })).toEqual([]);
    expect(modelSpans("wife priyanka has diabetes", false, { weights: afterWife, threshold: 0, lowerCaseMargin: 50 })).toEqual([]);
  });

  // A model sure that every capitalised word after a colon, or after "to", is a name.
  const anyCapital = handWeights({ "afterColon=true|shape=Xx": ["B-names", 40], "pw=to|cap=true": ["B-names", 40], "t-1=B-names|shape=Xx": ["I-names", 40] });

  it("finds a name after a form's label and after 'to'", () => {
    expect(modelSpans("Patient: Okonkwo", false, { weights: anyCapital, threshold: 0 }).map((s) => s.value)).toEqual(["Okonkwo"]);
    expect(modelSpans("Referred to Okonkwo today", false, { weights: anyCapital, threshold: 0 }).map((s) => s.value)).toEqual(["Okonkwo"]);
  });

  it("keeps what follows a clinical field's label, and a department's words", () => {
    expect(modelSpans("Diagnosis: Pneumonia", false, { weights: anyCapital, threshold: 0 })).toEqual([]);
    expect(modelSpans("Referred to Paediatric Neurology today", false, { weights: anyCapital, threshold: 0 })).toEqual([]);
  });
});
