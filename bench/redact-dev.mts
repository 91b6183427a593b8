// `npx tsx bench/redact-dev.mts [--errors ROUND]`: the de-identifier (rules + model, and rules alone) scored on the
// rounds that are free to learn from (the first, round2/, round3/) and only those: the held-out round (round4/) is
// never opened here, so this can be run as often as a rule is changed. `--errors round3` prints that round's misses
// and false positives. Run after `npm run build` (it uses the built sdk).
import path from "node:path";
import { findIdentifierSpans } from "../sdk/dist/deidentify/index.js";
import { figuresOf, readRound, score } from "./redact-score.mts";

const CORPUS = path.resolve(import.meta.dirname, "redact-corpus");
/** The rounds that may be read; a later round is a test set and is not listed here. */
export const DEV_ROUNDS = ["", "round2", "round3"];

const groups = ["Names", "Dates", "Identifiers", "Contacts", "Locations"];
console.log(`round     de-identifier   ${groups.map((g) => g.padEnd(12)).join("")}precision`);
for (const round of DEV_ROUNDS) {
  const texts = readRound(path.join(CORPUS, round), round);
  for (const [label, model] of [["rules alone", false], ["rules+model", undefined]] as const) {
    const s = score(texts, (text) => findIdentifierSpans(text, {}, [], model === false ? { model: false } : {}));
    const figures = figuresOf(s);
    console.log(`${(round || "round1").padEnd(10)}${label.padEnd(16)}${groups.map((g) => figures[`recall${g}`]!.toFixed(3).padEnd(12)).join("")}${figures.precision!.toFixed(3)}  missed ${s.missed.length} extra ${s.falsePositives.length}`);
    const errorsOf = process.argv[process.argv.indexOf("--errors") + 1];
    if (process.argv.includes("--errors") && errorsOf === (round || "round1") && label === "rules+model") {
      for (const m of s.missed) console.log(`missed   ${m.id}  ${m.class}  ${JSON.stringify(m.value)}`);
      for (const f of s.falsePositives) console.log(`extra    ${f.id}  ${f.class}  ${JSON.stringify(f.value)}`);
    }
  }
}
