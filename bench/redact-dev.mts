// `npx tsx bench/redact-dev.mts [--errors ROUND]`: the de-identifier (rules + model, and rules alone) scored on the
// rounds that are free to learn from (DEV_ROUNDS: the first, round2/ to round5/) and only those: a held-out round is
// never opened here, so this can be run as often as a rule is changed. `--errors round3` prints that round's misses
// and false positives. Run after `npm run build` (it uses the built sdk).
import path from "node:path";
import { findIdentifierSpans } from "../sdk/dist/deidentify/index.js";
import { CORPUS_DIR, DEV_ROUNDS, readRound, roundTableHeader, roundTableRow, score } from "./redact-score.mts";

const errorsOf = process.argv.includes("--errors") ? process.argv[process.argv.indexOf("--errors") + 1] : undefined;
console.log(roundTableHeader());
for (const round of DEV_ROUNDS) {
  const texts = readRound(path.join(CORPUS_DIR, round), round);
  for (const [label, model] of [["rules alone", false], ["rules+model", undefined]] as const) {
    const s = score(texts, (text) => findIdentifierSpans(text, {}, [], model === false ? { model: false } : {}));
    console.log(`${roundTableRow(round, label, s)}  missed ${s.missed.length} extra ${s.falsePositives.length}`);
    if (errorsOf === (round || "round1") && label === "rules+model") {
      for (const m of s.missed) console.log(`missed   ${m.id}  ${m.class}  ${JSON.stringify(m.value)}`);
      for (const f of s.falsePositives) console.log(`extra    ${f.id}  ${f.class}  ${JSON.stringify(f.value)}`);
    }
  }
}
