// `npm run build`'s last TypeScript step: the programs the platform and the tests start again and again, each as
// one bundle (esbuild, from what tsc left in dist/): the API server, its audit thread and its CLI (api/bundle/),
// the local node (composites/bundle/) and the `openchart` CLI (sdk/bundle/). Resolving and linking the thousands
// of small modules of their dependency trees one by one cost more CPU than running them: an API start took 3.5
// CPU-s from api/dist and 2.3 from the bundle, a local node 8.2 against 3.9 (BENCHMARKS.md), and a test run
// starts each dozens of times. Each bundle is CommonJS, run by a small ES module <name>.js through
// code-cache.cjs, which keeps V8's compiled code beside it (Node 20 caches none): a local node then starts on
// about 1 CPU-s less, a CLI command that opens the vault on 0.4 CPU-s against 2.5 from dist/. Run from the
// repository's root.
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
    // The docs UI reads its own static files; TypeORM keeps the entities' metadata in its own module state, so it
    // stays one copy outside. The agent's entities and migrations (@veramo/data-store) are bundled: loaded from
    // node_modules they were an ES module graph Node resolved and compiled at every start (0.4 CPU-s of 1.8).
    external: ["@fastify/swagger-ui", "typeorm"],
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
    // One file, but each command group's modules still run only when their command does (esbuild keeps an
    // import() as a lazy module wrapper): `redact` starts no vault.
    entryPoints: { cli: "dist/cli/main.js" },
    external: [],
  },
];

// Written last into each bundle's folder: what it was made from (testkit's builtEntry checks the same), and by
// its time, that the bundle is whole and newer than those builds.
const MANIFEST = "from.json";
/** The loader copied beside each bundle as cached.cjs. */
const CODE_CACHE = path.join(REPO_ROOT, "scripts", "code-cache.cjs");
const mtimeOf = (file) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Infinity;

/** A bundle made after this script last changed and after every build it holds (`tsc -b` leaves an unchanged tsbuildinfo alone). */
function isFresh(outdir, from) {
  const made = fs.statSync(path.join(outdir, MANIFEST), { throwIfNoEntry: false })?.mtimeMs;
  const scripts = [fileURLToPath(import.meta.url), CODE_CACHE];
  if (made === undefined || scripts.some((script) => mtimeOf(script) > made)) return false;
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
    // CommonJS, so that code-cache.cjs can run it with V8's code cache (Node 20 caches no ES module).
    format: "cjs",
    outExtension: { ".js": ".cjs" },
    platform: "node",
    target: "node20",
    // import() of a package becomes require() (Node 20.19+ requires ES modules too): the code cache's vm.Script
    // can run a real import() only through an experimental loader, which warns.
    supported: { "dynamic-import": false },
    external: [...NATIVE, ...external],
    // Errors, plugins and entities are told apart by their constructors' names.
    keepNames: true,
    sourcemap: "linked",
    // Our modules find files beside themselves by import.meta.url (the API's audit thread, the node's schema).
    define: { "import.meta.url": "__bundleUrl" },
    banner: { js: 'var __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: "warning",
  });
  // What callers run: <name>.js, an ES module that runs <name>.cjs through the code cache.
  fs.copyFileSync(CODE_CACHE, path.join(outdir, "cached.cjs"));
  for (const name of Object.keys(entryPoints)) {
    fs.writeFileSync(path.join(outdir, `${name}.js`), `import { createRequire } from "node:module";\ncreateRequire(import.meta.url)("./cached.cjs")("${name}.cjs");\n`);
  }
  fs.writeFileSync(path.join(outdir, MANIFEST), `${JSON.stringify({ from })}\n`);
}
