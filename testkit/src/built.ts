// Tests run the API, the local node and the `openchart` CLI as `npm run build` left them (api/bundle,
// composites/bundle, sdk/bundle), as `npm start` and the bins do: through tsx each start took twice the CPU
// (5.4 s against 2.7 s for the API's modules, 14 s against 7 s for the node), and the suite starts them dozens
// of times. `npm test` builds first; a test run right after an edit without a build would test old code, so this
// refuses to go on then, naming the command.
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../../scripts/chain/dev-accounts.js";
import { sourceFiles } from "./source-files.js";

function newestSource(dir: string): { file: string; mtimeMs: number } {
  let newest = { file: "", mtimeMs: 0 };
  for (const file of sourceFiles(dir)) {
    const mtimeMs = fs.statSync(file).mtimeMs;
    if (mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  }
  return newest;
}

/** Entries already checked in this process: a test file starts the API many times, the sources do not change meanwhile. */
const checked = new Set<string>();

/** The path of `workspace`'s built `entry` (relative to its dist/, or `bundle/...`), once sure the build is not older than its sources. */
export function builtEntry(workspace: "api" | "composites" | "sdk", entry: string): string {
  const root = path.join(REPO_ROOT, workspace);
  const bundle = entry.startsWith("bundle/");
  const built = path.join(root, bundle ? "" : "dist", entry);
  if (checked.has(built)) return built;
  const buildInfo = path.join(root, "tsconfig.tsbuildinfo");
  if (!fs.existsSync(built) || !fs.existsSync(buildInfo)) {
    throw new Error(`${path.relative(REPO_ROOT, built)} is missing: run \`npm run build\` first (npm test does)`);
  }
  const source = newestSource(path.join(root, "src"));
  if (source.mtimeMs > fs.statSync(buildInfo).mtimeMs) {
    throw new Error(`${path.relative(REPO_ROOT, source.file)} changed after the last build: run \`npm run build\` first (npm test does)`);
  }
  // A bundle (scripts/bundle.mjs) is made from the compiled output of its workspace and the ones it uses, which
  // its from.json names (written last): a `tsc -b` alone after an edit leaves it behind them.
  if (bundle) {
    const manifest = path.join(root, "bundle", "from.json");
    if (!fs.existsSync(manifest)) throw new Error(`${workspace}/bundle is incomplete: run \`npm run build\` first (npm test does)`);
    const bundled = fs.statSync(manifest).mtimeMs;
    const { from } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { from: string[] };
    const newer = from.find((dependency) => fs.statSync(path.join(REPO_ROOT, dependency, "tsconfig.tsbuildinfo")).mtimeMs > bundled);
    if (newer) throw new Error(`${workspace}/${entry} is older than ${newer}'s build: run \`npm run build\` first (npm test does)`);
  }
  checked.add(built);
  return built;
}
