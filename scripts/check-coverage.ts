// Fails when the contracts' line or branch coverage (from `hardhat coverage`) is below the threshold.
import fs from "node:fs";

const threshold = Number(process.argv[2] ?? 95);
const summary = JSON.parse(fs.readFileSync("coverage/coverage-summary.json", "utf8")) as {
  total: Record<"lines" | "branches" | "statements" | "functions", { pct: number }>;
};
const failing = (["lines", "branches"] as const).filter((kind) => summary.total[kind].pct < threshold);
for (const kind of ["lines", "branches", "statements", "functions"] as const) {
  console.log(`${kind.padEnd(10)} ${summary.total[kind].pct}%`);
}
if (failing.length) {
  console.error(`coverage below ${threshold}% for: ${failing.join(", ")}`);
  process.exitCode = 1;
}
