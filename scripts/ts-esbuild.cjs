// ts-node's transpiler for this repository's TypeScript (tsconfig.json's "ts-node" section): esbuild instead of
// TypeScript's own transpileModule. Every `hardhat` command (the tasks, test, coverage) and `npm start` run
// through ts-node, which transpiles hardhat.config.ts, the tasks and what they import at each start; TypeScript
// did that in ~0.2 s of CPU per hardhat task, esbuild in a few ms. ts-node allows a custom transpiler in
// transpile-only mode only: `hardhat --typecheck` is refused (`npm run typecheck` checks the types).
"use strict";
const esbuild = require("esbuild");

/** ts.ScriptTarget's values (the parsed tsconfig gives numbers) as esbuild names them. */
const TARGETS = { 2: "es2015", 3: "es2016", 4: "es2017", 5: "es2018", 6: "es2019", 7: "es2020", 8: "es2021", 9: "es2022", 99: "esnext" };
/** ts.ModuleKind: CommonJS, and the Node kinds whose output follows each file's package type. */
const COMMONJS = 1;
const NODE_KINDS = new Set([100, 101, 199]);

/** @type {import("ts-node").TranspilerFactory} */
function create({ service, nodeModuleEmitKind }) {
  const options = service.config.options;
  // ts-node makes one transpiler per output kind, with `module` set to the kind it wants.
  const cjs = options.module === COMMONJS || (NODE_KINDS.has(options.module) && nodeModuleEmitKind === "nodecjs");
  const transformOptions = {
    loader: "ts",
    format: cjs ? "cjs" : "esm",
    target: TARGETS[options.target] ?? "es2022",
    platform: "node",
    sourcemap: "external",
    // The class-field and decorator semantics tsc would use: esbuild reads no tsconfig in a transform.
    tsconfigRaw: {
      compilerOptions: {
        useDefineForClassFields: options.useDefineForClassFields,
        experimentalDecorators: options.experimentalDecorators,
        verbatimModuleSyntax: options.verbatimModuleSyntax,
      },
    },
  };
  return {
    transpile(input, { fileName }) {
      const { code, map } = esbuild.transformSync(input, { ...transformOptions, sourcefile: fileName });
      return { outputText: code, sourceMapText: map };
    },
  };
}

module.exports = { create };
