// `npm run bench:ci`: runs `.ci/run` on a fresh clone of HEAD, as CI does, and times its phases from the
// moment each npm script announces itself in the output (npm prints "> openchart@<version> <script>").
// Writes bench/results/ci.json. Takes as long as CI (about 10 to 15 minutes on 2 cores).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { writeResults } from "./results.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const clone = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-ci-bench-"));
const log = path.join(clone, "..", `${path.basename(clone)}.log`);

const cloned = spawnSync("git", ["clone", "--quiet", root, clone], { stdio: "inherit" });
if (cloned.status !== 0) throw new Error("git clone failed");

const started = Date.now();
const marks = new Map<string, number>();
let vitestSeconds: number | undefined;
const out = fs.createWriteStream(log);
const child = spawn("bash", [".ci/run"], { cwd: clone, env: { ...process.env, SCARF_ANALYTICS: "false" } });
let pending = "";
const onData = (chunk: Buffer) => {
  out.write(chunk);
  pending += chunk.toString("utf8");
  const lines = pending.split("\n");
  pending = lines.pop() ?? "";
  for (const line of lines) {
    const script = /^> openchart@[^ ]+ ([\w:]+)/.exec(line)?.[1];
    if (script && !marks.has(script)) marks.set(script, Date.now());
    // vitest's own wall-clock for the whole run (collect, setup and tests of every project)
    const duration = /Duration\s+([\d.]+)(m?s)/.exec(stripVTControlCharacters(line));
    if (duration && marks.has("test:workspaces")) vitestSeconds = Number(duration[1]) / (duration[2] === "ms" ? 1000 : 1);
  }
};
child.stdout.on("data", onData);
child.stderr.on("data", onData);
const code: number = await new Promise((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
out.end();
const ended = Date.now();
if (code !== 0) {
  console.error(`.ci/run failed (exit ${code}); its output: ${log}`);
  process.exit(1);
}

const at = (script: string) => {
  const t = marks.get(script);
  if (t === undefined) throw new Error(`.ci/run never ran npm script "${script}" (output: ${log})`);
  return t;
};
const seconds = (from: number, to: number) => Math.round((to - from) / 100) / 10;
const results = {
  ciSeconds: seconds(started, ended),
  npmCiSeconds: seconds(started, at("pretest")),
  npmTestSeconds: seconds(at("pretest"), at("lint")),
  contractTestSeconds: seconds(at("test:contracts"), at("test:workspaces")),
  vitestSeconds: vitestSeconds ?? seconds(at("test:workspaces"), at("lint")),
  lintSeconds: seconds(at("lint"), at("coverage")),
  coverageSeconds: seconds(at("coverage"), ended),
};
writeResults("ci", results);
fs.rmSync(clone, { recursive: true, force: true });
console.log(`output of .ci/run: ${log}`);
