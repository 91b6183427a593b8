// Copied by scripts/bundle.mjs into each bundle folder as cached.cjs; each entry's <name>.js calls it.
// Runs a CommonJS bundle through vm.Script with V8's code cache kept beside it (<name>.cjs.v8cache): Node 20 has
// no compile cache of its own (22 has), and compiling a bundle of tens of MB again at every start was a
// quarter of a local node's start-up CPU. The first run writes the cache once it is up; V8 refuses a cache
// made from other source or flags, and the next run writes a new one.
"use strict";
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const vm = require("node:vm");

/** How long after loading the cache is written: by then the functions a start runs are compiled and go in it. */
const WRITE_AFTER_MS = 5_000;

module.exports = function runCached(name) {
  const file = path.join(__dirname, name);
  const cacheFile = `${file}.v8cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // An entry's shebang line is kept blank, as Node's own loader does, so lines stay where the source map says.
  const source = fs.readFileSync(file, "utf8").replace(/^#!.*/, "");
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(__dirname);
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, __dirname);
  if (cachedData === undefined || script.cachedDataRejected) {
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      // Written whole under another name, then renamed: processes starting meanwhile read a whole cache or none.
      const partial = `${cacheFile}.${process.pid}`;
      try {
        fs.writeFileSync(partial, script.createCachedData());
        fs.renameSync(partial, cacheFile);
      } catch {
        fs.rmSync(partial, { force: true });
      }
    };
    setTimeout(write, WRITE_AFTER_MS).unref();
    // A command that ends sooner (the CLI) writes it on its way out.
    process.once("exit", write);
  }
};
