// De-identification before an AI call (issue 19), `npm run bench:redact`: recall per identifier group and
// overall precision of the sdk's de-identifier on the labeled corpus (bench/redact-corpus/), on all texts
// and on the held-out half alone (rules were tuned looking at the dev half only); then its speed in Node
// and in Chromium as medians beside SHA-256 of the same bytes in the same run. Writes bench/results/redact.json.
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { Deidentifier, findIdentifierSpans, type Span } from "../sdk/dist/deidentify/index.js";
import { openBrowserPage } from "../testkit/src/browser-page.ts";
import { bundleForBrowser } from "./browser-bundle.mts";
import { figuresOf, readCorpus, roundTableHeader, roundTableRow, score, type CorpusText } from "./redact-score.mts";
import { writeResults } from "./results.ts";

const RUNS = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function makeup(texts: readonly CorpusText[]): Record<string, number> {
  const figures: Record<string, number> = { corpusTexts: texts.length, corpusKB: Buffer.byteLength(texts.map((t) => t.text).join("\n")) / 1024 };
  for (const t of texts) figures[`corpus_${t.kind}`] = (figures[`corpus_${t.kind}`] ?? 0) + 1;
  figures.corpusSpanish = texts.filter((t) => t.lang === "es").length;
  figures.corpusHeldout = texts.filter((t) => t.split === "heldout").length;
  for (const round of roundsOf(texts)) figures[`corpus_${round}`] = texts.filter((t) => t.round === round).length;
  figures.goldSpans = texts.reduce((n, t) => n + t.gold.length, 0);
  return figures;
}

const roundsOf = (texts: readonly CorpusText[]): string[] => [...new Set(texts.map((t) => t.round).filter(Boolean))].sort();

/**
 * Milliseconds per KB to de-identify every text with a fresh conversation, after one warm-up pass: rules + model
 * (what ships) and the rules alone, interleaved in the same runs so the machine's load weighs on both alike.
 */
function nodeSpeed(texts: readonly CorpusText[]): Record<string, number> {
  const bytes = Buffer.from(texts.map((t) => t.text).join("\n"));
  const kb = bytes.length / 1024;
  const times: number[] = [];
  const rulesTimes: number[] = [];
  const shaTimes: number[] = [];
  const pass = (model: boolean) => {
    const start = performance.now();
    const conversation = new Deidentifier({ dateShiftDays: 100, model });
    for (const t of texts) conversation.deidentify(t.text);
    return performance.now() - start;
  };
  for (let run = 0; run <= RUNS; run++) {
    const withModel = pass(true);
    const rulesAlone = pass(false);
    if (run > 0) times.push(withModel);
    if (run > 0) rulesTimes.push(rulesAlone);
    // SHA-256 of the same bytes, repeated so the time is measurable: the baseline of this machine right now.
    const shaStart = performance.now();
    for (let i = 0; i < 1000; i++) createHash("sha256").update(bytes).digest();
    if (run > 0) shaTimes.push((performance.now() - shaStart) / 1000);
  }
  const msPerKB = median(times) / kb;
  const shaMsPerKB = median(shaTimes) / kb;
  return {
    redactMsPerKB_node: msPerKB,
    redactMsPerKB_rulesAlone_node: median(rulesTimes) / kb,
    sha256UsPerKB_node: shaMsPerKB * 1000,
    redactToSha256_node: msPerKB / shaMsPerKB,
  };
}

/** The de-identifier as a browser script: it sets `Deidentifier` on the page's globalThis. */
const BROWSER_ENTRY = `import { Deidentifier } from "./sdk/dist/deidentify/index.js"; globalThis.Deidentifier = Deidentifier;`;

/** The minified browser bundle's size: what the web app loads when the assistant is first used. */
async function bundleKBGzip(): Promise<number> {
  const script = await bundleForBrowser(BROWSER_ENTRY);
  return gzipSync(script).length / 1024;
}

async function browserSpeed(texts: readonly CorpusText[]): Promise<Record<string, number>> {
  // The test kit's page: the sdk bundled by esbuild, served from http://127.0.0.1 (a secure context, for crypto.subtle).
  const browserPage = await openBrowserPage(BROWSER_ENTRY, path.resolve(import.meta.dirname, ".."), "Deidentifier");
  try {
    const nodeBuiltins = browserPage.bundleInputs.filter((input) => input.startsWith("node:"));
    if (nodeBuiltins.length > 0) throw new Error(`the browser bundle pulls Node built-ins: ${nodeBuiltins.join(", ")}`);
    const result = await browserPage.page.evaluate(
      async ({ texts, runs }) => {
        const D = (globalThis as unknown as { Deidentifier: new (o: { dateShiftDays: number }) => { deidentify(t: string): { text: string } } }).Deidentifier;
        const firstStart = performance.now();
        new D({ dateShiftDays: 100 }).deidentify(texts[0]!);
        const firstCallMs = performance.now() - firstStart;
        const bytes = new TextEncoder().encode(texts.join("\n"));
        const times: number[] = [];
        const sha: number[] = [];
        for (let run = 0; run <= runs; run++) {
          const start = performance.now();
          const conversation = new D({ dateShiftDays: 100 });
          for (const text of texts) conversation.deidentify(text);
          if (run > 0) times.push(performance.now() - start);
          const shaStart = performance.now();
          for (let i = 0; i < 200; i++) await crypto.subtle.digest("SHA-256", bytes);
          if (run > 0) sha.push((performance.now() - shaStart) / 200);
        }
        return { times, sha, firstCallMs, kb: bytes.length / 1024 };
      },
      { texts: texts.map((t) => t.text), runs: RUNS },
    );
    const msPerKB = median(result.times) / result.kb;
    const shaMsPerKB = median(result.sha) / result.kb;
    return {
      redactMsPerKB_browser: msPerKB,
      sha256UsPerKB_browser: shaMsPerKB * 1000,
      redactToSha256_browser: msPerKB / shaMsPerKB,
      firstCallMs_browser: result.firstCallMs,
      bundleKBGzip: await bundleKBGzip(),
    };
  } finally {
    await browserPage.close();
  }
}

/** `find`, each text de-identified once: every subset the bench scores (held-out half, Spanish, each round) reuses it. */
function once(find: (text: string) => Span[]): (text: string) => Span[] {
  const found = new Map<string, Span[]>();
  return (text) => found.get(text) ?? found.set(text, find(text)).get(text)!;
}

async function main(): Promise<void> {
  const texts = readCorpus();
  // The first call builds the rules' lists; the first with the model parses its weights too: timed apart.
  const firstStart = performance.now();
  findIdentifierSpans("warm-up: Maria Gonzalez, born 03/14/1962", {}, [], { model: false });
  const firstRulesMs = performance.now() - firstStart;
  const modelStart = performance.now();
  findIdentifierSpans("warm-up: Maria Gonzalez, born 03/14/1962");
  const firstModelExtraMs = performance.now() - modelStart;
  const find = once((text) => findIdentifierSpans(text));
  // The rules without the trained recognizer (sdk/src/deidentify/ner.ts): what the model adds, round by round.
  const rulesAlone = once((text) => findIdentifierSpans(text, {}, [], { model: false }));
  const all = score(texts, find);
  const heldout = score(texts.filter((t) => t.split === "heldout"), find);
  const spanish = score(texts.filter((t) => t.lang === "es"), find);
  // Each later round (round2/, round3/...): texts written by someone who never saw the rules, scored on their own.
  // A round measures how the rules generalise only until its misses are read.
  const rounds = roundsOf(texts).map((round) => figuresOf(score(texts.filter((t) => t.round === round), find), `_${round}`));
  const roundsRulesAlone = roundsOf(texts).map((round) => figuresOf(score(texts.filter((t) => t.round === round), rulesAlone), `_rulesAlone_${round}`));
  // Recall per group and precision, rules alone beside rules + model, for the first round and each later one.
  console.log(`\n${roundTableHeader()}`);
  for (const round of ["", ...roundsOf(texts)]) {
    const subset = texts.filter((t) => t.round === round);
    for (const [label, f] of [["rules alone", rulesAlone], ["rules+model", find]] as const) console.log(roundTableRow(round, label, score(subset, f)));
  }
  if (process.argv.includes("--errors")) {
    // Only the dev half's errors are printed: rules were changed looking at these, never at the held-out half.
    const dev = new Set(texts.filter((t) => t.split === "dev").map((t) => t.id));
    for (const miss of all.missed.filter((m) => dev.has(m.id))) console.log(`missed   ${miss.id}  ${miss.class}  ${JSON.stringify(miss.value)}`);
    for (const fp of all.falsePositives.filter((f) => dev.has(f.id))) console.log(`extra    ${fp.id}  ${fp.class}  ${JSON.stringify(fp.value)}`);
  }
  const figures = {
    ...figuresOf(all),
    ...figuresOf(heldout, "_heldout"),
    ...figuresOf(spanish, "_spanish"),
    ...Object.assign({}, ...rounds),
    ...figuresOf(score(texts, rulesAlone), "_rulesAlone"),
    ...Object.assign({}, ...roundsRulesAlone),
    falsePositives: all.falsePositives.length,
    missedSpans: all.missed.length,
    ...makeup(texts),
    firstCallMs_node: firstRulesMs + firstModelExtraMs,
    firstCallModelExtraMs_node: firstModelExtraMs,
    ...nodeSpeed(texts),
    ...(process.argv.includes("--no-browser") ? {} : await browserSpeed(texts)),
    load1: os.loadavg()[0]!,
  };
  writeResults("redact", figures);
}

await main();
