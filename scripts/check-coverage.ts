// Fails when the contracts' line or branch coverage (from `hardhat coverage`) is below the threshold.
// `tsx scripts/check-coverage.ts 95 contracts/ConsentRegistry.sol=100`: a total threshold, then per-file ones.
import fs from "node:fs";

type Figures = Record<"lines" | "branches" | "statements" | "functions", { pct: number }>;

const [totalArg, ...fileArgs] = process.argv.slice(2);
const summary = JSON.parse(fs.readFileSync("coverage/coverage-summary.json", "utf8")) as Record<string, Figures>;
const checks: [string, number][] = [["total", Number(totalArg ?? 95)]];
for (const arg of fileArgs) {
  const [file, pct] = arg.split("=");
  checks.push([file!, Number(pct ?? 100)]);
}
let failed = false;
for (const [name, threshold] of checks) {
  const figures = summary[name] ?? Object.entries(summary).find(([key]) => key.endsWith(`/${name}`) || key.endsWith(name))?.[1];
  if (!figures) {
    console.error(`${name}: not in coverage/coverage-summary.json`);
    failed = true;
    continue;
  }
  console.log(`${name}: ${(["lines", "branches", "statements", "functions"] as const).map((k) => `${k} ${figures[k].pct}%`).join(", ")}`);
  const failing = (["lines", "branches"] as const).filter((kind) => figures[kind].pct < threshold);
  if (failing.length) {
    console.error(`${name}: coverage below ${threshold}% for ${failing.join(", ")}`);
    failed = true;
  }
}
if (failed) process.exitCode = 1;
