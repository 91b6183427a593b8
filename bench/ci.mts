// `npm run bench:ci`: runs `.ci/run` on a fresh clone of HEAD, as CI does, and times its phases from the
// moment each npm script announces itself in the output (npm prints "> openchart@<version> <script>", which
// run-p's label may precede). npm test runs lint and coverage beside the test suites: their spans overlap vitest's.
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
let vitestEnded: number | undefined;
/** When check-coverage printed its total: the last thing `npm run coverage` does. */
let coverageEnded: number | undefined;
const out = fs.createWriteStream(log);
const child = spawn("bash", [".ci/run"], { cwd: clone, env: { ...process.env, SCARF_ANALYTICS: "false" } });
let pending = "";
const onData = (chunk: Buffer) => {
  out.write(chunk);
  pending += chunk.toString("utf8");
  const lines = pending.split("\n");
  pending = lines.pop() ?? "";
  for (const line of lines) {
    const plain = stripVTControlCharacters(line);
    const script = /^(?:\[[\w: ]+\]\s*)?> openchart@[^ ]+ ([\w:]+)/.exec(plain)?.[1];
    if (script && !marks.has(script)) marks.set(script, Date.now());
    // vitest's own wall-clock for the whole run (collect, setup and tests of every project)
    const duration = /Duration\s+([\d.]+)(m?s)/.exec(plain);
    if (duration && marks.has("test:workspaces")) {
      vitestSeconds = Number(duration[1]) / (duration[2] === "ms" ? 1000 : 1);
      vitestEnded = Date.now();
    }
    if (/\btotal: lines [\d.]+%/.test(plain)) coverageEnded = Date.now();
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
  npmTestSeconds: seconds(at("pretest"), ended),
  buildSeconds: seconds(at("build"), at("test:suites")),
  contractTestSeconds: seconds(at("test:contracts"), at("test:workspaces")),
  vitestSeconds: vitestSeconds ?? seconds(at("test:workspaces"), ended),
  // Beside the suites, at nice 19: how long each took, and how long the checks kept going after vitest ended.
  lintSeconds: seconds(at("lint"), at("coverage")),
  coverageSeconds: seconds(at("coverage"), coverageEnded ?? ended),
  checksAfterVitestSeconds: Math.max(0, seconds(vitestEnded ?? ended, coverageEnded ?? ended)),
};
writeResults("ci", results);
fs.rmSync(clone, { recursive: true, force: true });
console.log(`output of .ci/run: ${log}`);
