// `npm run bench:consult`: consult figures, into bench/results/consult.json (merged: other parts of the
// consult story add their own figures to the same file). Parts, each its own module under bench/consult/:
// - signaling.mts: 1,000 rooms of two sockets, relay and chat latency, /healthz baseline;
// - call-setup.mts: Chromium (e2e/consult-bench.run.ts), both press join -> first decoded frame on both sides.
// With the machine's load average before and after: the figures compare only at a similar load.
// BENCH_CONSULT_PARTS=signaling,call-setup picks parts (default: all).
import os from "node:os";
import { mergeResults } from "./results.ts";
import { measureCallSetup } from "./consult/call-setup.mts";
import { measureSignaling } from "./consult/signaling.mts";

const PARTS: Record<string, () => Promise<Record<string, number>>> = {
  signaling: async () => ({ ...(await measureSignaling()) }),
  "call-setup": async () => ({ ...(await measureCallSetup()) }),
};

async function main(): Promise<void> {
  const chosen = (process.env.BENCH_CONSULT_PARTS ?? Object.keys(PARTS).join(",")).split(",").map((p) => p.trim());
  const load = (n: number) => Math.round(n * 100) / 100;
  for (const part of chosen) {
    const run = PARTS[part];
    if (!run) throw new Error(`unknown part "${part}"; parts: ${Object.keys(PARTS).join(", ")}`);
    const loadBefore = os.loadavg()[0]!;
    const figures = await run();
    // Each part's figures are kept as soon as it ends (a later part failing loses none), with the load it ran at.
    const prefix = part.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());
    mergeResults("consult", { ...figures, [`${prefix}LoadAverage1mBefore`]: load(loadBefore), [`${prefix}LoadAverage1mAfter`]: load(os.loadavg()[0]!), cpus: os.cpus().length });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
