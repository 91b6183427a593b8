import fs from "node:fs";
import path from "node:path";

/** Prints a figure table and writes `bench/results/<name>.json` (figure name -> number). */
export function writeResults(name: string, figures: Record<string, number>): void {
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  console.log(`\n${name}`);
  for (const [key, value] of Object.entries(figures)) {
    const shown = Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(2);
    console.log(`  ${key.padEnd(width)}  ${shown.padStart(12)}`);
  }
  // npm runs scripts from the repository root; __dirname is not reliable when a bench runs as ESM.
  const file = path.resolve("bench", "results", `${name}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
}

/**
 * Like writeResults, but keeps the figures of `bench/results/<name>.json` this run did not measure: two
 * scripts (one needing a node for minutes, one not) write one file.
 */
export function mergeResults(name: string, figures: Record<string, number>): void {
  const file = path.resolve("bench", "results", `${name}.json`);
  const before = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, number>) : {};
  writeResults(name, { ...before, ...figures });
}
