// `npm run bench:rx`: the e-prescription figures alone (bench/clinical/rx.mts), into bench/results/rx.json.
import { measureRx } from "./clinical/rx.mts";
import { writeResults } from "./results.ts";

writeResults("rx", await measureRx());
