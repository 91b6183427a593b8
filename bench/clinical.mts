// `npm run bench:clinical`: the clinical workflows' figures, one part per workflow in bench/clinical/, merged
// into bench/results/clinical.json (a part run alone keeps the others' figures: `npm run bench:clinical -- exit`).
import { mergeResults } from "./results.ts";
import { measureFhirExport } from "./clinical/fhir-export.mts";
import { measureExit } from "./clinical/exit.mts";
import { measureShl } from "./clinical/shl.mts";
import { measureRx } from "./clinical/rx.mts";

/** Each part measures its own figures, with its baseline from the same run. Parts added here run in order. */
const PARTS: Record<string, () => Promise<Record<string, number>>> = {
  "fhir-export": measureFhirExport,
  exit: measureExit,
  shl: measureShl,
  rx: measureRx,
};

const asked = process.argv.slice(2);
for (const name of asked) if (!(name in PARTS)) throw new Error(`unknown part "${name}"; parts: ${Object.keys(PARTS).join(", ")}`);
const figures: Record<string, number> = {};
for (const [name, measure] of Object.entries(PARTS)) {
  if (asked.length > 0 && !asked.includes(name)) continue;
  console.log(`measuring ${name}...`);
  Object.assign(figures, await measure());
}
mergeResults("clinical", figures);
