// `npm run build`'s last TypeScript step: the programs the platform and the tests start again and again, each as
// one ES module bundle (esbuild, from what tsc left in dist/): the API server, its audit thread and its CLI
// (api/bundle/), the local node (composites/bundle/) and the `openchart` CLI (sdk/bundle/). Node 20 has no compile cache for ES modules, and
// resolving and linking the thousands of small modules of their dependency trees one by one cost more CPU than
// running them: an API start took 3.5 CPU-s from api/dist and 2.3 from the bundle, a local node 8.2 against 3.9
// (BENCHMARKS.md), a CLI run that opens the vault 2.5 against 0.5, and a test run starts each dozens of times. Run from the repository's root.
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// Left to Node's own loader in every bundle: native addons and drivers with optional native parts.
const NATIVE = ["better-sqlite3", "sqlite3", "classic-level", "pg", "pg-native", "bufferutil", "utf-8-validate"];

const BUNDLES = [
  {
    workspace: "api",
    // The workspaces whose compiled output the bundle holds (its own and those of ours it imports).
    from: ["sdk", "agent", "api"],
    // `thread` sits beside `main`: the audit committer starts it as new URL("./thread.js", import.meta.url).
    entryPoints: { main: "dist/main.js", thread: "dist/audit/thread.js", cli: "dist/cli/main.js" },
    // The docs UI reads its own static files; TypeORM knows the agent's entities and migrations by class, and
    // a second copy of them inside a bundle fails its migrations.
    external: ["@fastify/swagger-ui", "typeorm", "@veramo/data-store"],
  },
  {
    workspace: "composites",
    from: ["sdk", "composites"],
    // The bundle's folder is one level under composites/, as dist/ is: the node finds ../generated/ and
    // ../schema/ relative to its own module.
    entryPoints: { node: "dist/cli/node.js" },
    // ipfs-utils picks a file by a computed require() path; the Filecoin signer loads its WebAssembly from
    // beside its own file; knex and TypeORM require the drivers of every database they support by name (only
    // SQLite's is installed); LevelDB's and WebRTC's bindings are native.
    external: ["ipfs-utils", "@zondax/filecoin-signing-tools", "knex", "typeorm", "level", "leveldown", "node-datachannel", "@ipshipyard/node-datachannel"],
  },
  {
    workspace: "sdk",
    from: ["sdk"],
    // The command groups stay separate chunks, loaded when their command runs (`redact` needs no vault).
    entryPoints: { cli: "dist/cli/main.js" },
    external: [],
  },
];

// Written last into each bundle's folder: what it was made from (testkit's builtEntry checks the same), and by
// its time, that the bundle is whole and newer than those builds.
const MANIFEST = "from.json";
const mtimeOf = (file) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Infinity;

/** A bundle made after this script last changed and after every build it holds (`tsc -b` leaves an unchanged tsbuildinfo alone). */
function isFresh(outdir, from) {
  const made = fs.statSync(path.join(outdir, MANIFEST), { throwIfNoEntry: false })?.mtimeMs;
  if (made === undefined || mtimeOf(fileURLToPath(import.meta.url)) > made) return false;
  return from.every((workspace) => mtimeOf(path.join(REPO_ROOT, workspace, "tsconfig.tsbuildinfo")) < made);
}

// `npm run lint` and every bench build again: an unchanged bundle is not made twice (`--force` makes them all).
const force = process.argv.includes("--force");
for (const { workspace, from, entryPoints, external } of BUNDLES) {
  const root = path.join(REPO_ROOT, workspace);
  const outdir = path.join(root, "bundle");
  if (!force && isFresh(outdir, from)) continue;
  fs.rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints,
    absWorkingDir: root,
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: [...NATIVE, ...external],
    // Errors, plugins and entities are told apart by their constructors' names.
    keepNames: true,
    sourcemap: "linked",
    // CommonJS dependencies inside an ES module bundle still call require() for Node's built-ins.
    banner: { js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);' },
    logLevel: "warning",
  });
  fs.writeFileSync(path.join(outdir, MANIFEST), `${JSON.stringify({ from })}\n`);
}
