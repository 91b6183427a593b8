// `npm run lint:lockfile`: every registry package in package-lock.json names its tarball (`resolved`).
// Without it `npm ci` asks the registry for each package's metadata just to find the tarball: 2,600
// extra requests, about 30 s of a fresh install here. This machine's user npmrc sets
// `omit-lockfile-registry-resolved`; the repo's .npmrc turns it off, so `npm install` keeps them.
// `--write` fills in the missing ones (the registry's standard tarball address for name and version).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REGISTRY = "https://registry.npmjs.org/";
const file = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "package-lock.json");
const lock = JSON.parse(fs.readFileSync(file, "utf8"));

const missing = [];
for (const [key, entry] of Object.entries(lock.packages)) {
  // Workspace links, and folders a package ships inside itself (no version, no integrity), have no tarball.
  if (!key.includes("node_modules/") || entry.link || entry.resolved || !entry.integrity) continue;
  const name = entry.name ?? key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
  missing.push([key, `${REGISTRY}${name}/-/${name.split("/").pop()}-${entry.version}.tgz`]);
}

if (process.argv.includes("--write")) {
  // npm's own order (version, resolved, integrity, ...), so a later `npm install` rewrites nothing.
  for (const [key, resolved] of missing) {
    const { version, ...rest } = lock.packages[key];
    lock.packages[key] = { version, resolved, ...rest };
  }
  fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`package-lock.json: ${missing.length} tarball addresses added`);
} else if (missing.length > 0) {
  console.error(`package-lock.json: ${missing.length} packages have no "resolved" address (first: ${missing[0][1]}); run: node scripts/lockfile-resolved.mjs --write`);
  process.exit(1);
}
