import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../chain/dev-accounts";

const WEB_ROOT = path.join(REPO_ROOT, "web");
/** Everything a build of the web app depends on besides node_modules: a change here means a new build. */
const INPUTS = ["web/src", "web/index.html", "web/vite.config.ts", "web/svelte.config.js", "web/package.json", "sdk/dist"];
// Vite ships ESM types this CommonJS-checked folder cannot resolve: load it by name, with its one used call declared.
const VITE: string = "vite";
type ViteBuild = (config: { root: string; logLevel: string; build: { outDir: string; emptyOutDir: boolean } }) => Promise<unknown>;
export const WEB_CACHE = path.join(REPO_ROOT, "node_modules", ".cache", "openchart-web");

function fingerprint(): string {
  const hash = createHash("sha256");
  const visit = (file: string) => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(file).sort()) visit(path.join(file, name));
      return;
    }
    hash.update(`${path.relative(REPO_ROOT, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
  };
  for (const input of INPUTS) visit(path.join(REPO_ROOT, input));
  return hash.digest("hex").slice(0, 16);
}

/**
 * The built web app, from the cache when its sources did not change since the last build (a warm
 * `npm start` skips Vite). Builds go to a temporary folder renamed into place, so parallel starts never
 * serve a half-written build.
 */
export async function buildWebApp(): Promise<{ dir: string; cached: boolean }> {
  const dir = path.join(WEB_CACHE, fingerprint());
  if (fs.existsSync(path.join(dir, "index.html"))) return { dir, cached: true };
  fs.mkdirSync(WEB_CACHE, { recursive: true });
  const staging = fs.mkdtempSync(path.join(WEB_CACHE, "building-"));
  try {
    const { build } = (await import(VITE)) as { build: ViteBuild };
    await build({ root: WEB_ROOT, logLevel: "warn", build: { outDir: staging, emptyOutDir: true } });
    try {
      fs.renameSync(staging, dir);
    } catch (error) {
      // Another start finished the same build first: use theirs.
      if (!fs.existsSync(path.join(dir, "index.html"))) throw error;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  pruneOldBuilds(dir);
  return { dir, cached: false };
}

/** Drops builds of older sources (an hour old, so a build another running platform serves stays). */
function pruneOldBuilds(keep: string): void {
  for (const name of fs.readdirSync(WEB_CACHE)) {
    const entry = path.join(WEB_CACHE, name);
    if (entry !== keep && Date.now() - fs.statSync(entry).mtimeMs > 3_600_000) fs.rmSync(entry, { recursive: true, force: true });
  }
}
