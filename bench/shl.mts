// `npm run bench:shl`: SMART Health Links' figures alone (bench/clinical/shl.mts, also a part of
// `npm run bench:clinical`), written to bench/results/shl.json.
import { measureShl } from "./clinical/shl.mts";
import { writeResults } from "./results.ts";

writeResults("shl", await measureShl());
