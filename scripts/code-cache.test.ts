import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// The loader every bundle runs through (scripts/bundle.mjs copies it beside each bundle as cached.cjs).
const LOADER = path.join(__dirname, "code-cache.cjs");

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-code-cache-"));
  fs.copyFileSync(LOADER, path.join(dir, "cached.cjs"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `name` through the loader as a bundle's <name>.js does. */
function run(name: string): { status: number | null; out: string; err: string } {
  const result = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(path.join(dir, "cached.cjs"))})(${JSON.stringify(name)})`], { encoding: "utf8" });
  return { status: result.status, out: result.stdout, err: result.stderr };
}

const cacheOf = (name: string) => path.join(dir, `${name}.v8cache`);

describe("the bundles' code-cache loader", () => {
  it("runs a CommonJS file as Node would (shebang, require, module, __filename), and keeps V8's code beside it", () => {
    fs.writeFileSync(path.join(dir, "beside.cjs"), "module.exports = 41;\n");
    fs.writeFileSync(
      path.join(dir, "app.cjs"),
      `#!/usr/bin/env node\nconst path = require("node:path");\nconsole.log(require("./beside.cjs") + 1, path.basename(__filename), path.basename(__dirname) === path.basename(${JSON.stringify(dir)}), typeof module.exports);\n`,
    );
    expect(run("app.cjs")).toEqual({ status: 0, out: "42 app.cjs true object\n", err: "" });
    // Written on the way out by a program that ends within seconds, whole (no partial file left).
    expect(fs.statSync(cacheOf("app.cjs")).size).toBeGreaterThan(0);
    expect(fs.readdirSync(dir).filter((file) => file.includes(".v8cache."))).toEqual([]);
  });

  it("uses the cache on the next run and leaves it as it is", () => {
    fs.writeFileSync(path.join(dir, "app.cjs"), "console.log('same');\n");
    run("app.cjs");
    const first = fs.readFileSync(cacheOf("app.cjs"));
    fs.utimesSync(cacheOf("app.cjs"), new Date(0), new Date(0));
    expect(run("app.cjs")).toEqual({ status: 0, out: "same\n", err: "" });
    expect(fs.statSync(cacheOf("app.cjs")).mtimeMs).toBe(0);
    expect(fs.readFileSync(cacheOf("app.cjs")).equals(first)).toBe(true);
  });

  it("runs changed source, not the cached code, and writes a new cache", () => {
    fs.writeFileSync(path.join(dir, "app.cjs"), "console.log('old');\n");
    run("app.cjs");
    const stale = fs.readFileSync(cacheOf("app.cjs"));
    fs.writeFileSync(path.join(dir, "app.cjs"), "console.log('new and longer');\n");
    expect(run("app.cjs")).toEqual({ status: 0, out: "new and longer\n", err: "" });
    expect(fs.readFileSync(cacheOf("app.cjs")).equals(stale)).toBe(false);
  });

  it("runs a file whose cache is garbage, and replaces it", () => {
    fs.writeFileSync(path.join(dir, "app.cjs"), "console.log('fine');\n");
    fs.writeFileSync(cacheOf("app.cjs"), "not V8's code");
    expect(run("app.cjs")).toEqual({ status: 0, out: "fine\n", err: "" });
    expect(fs.readFileSync(cacheOf("app.cjs"), "utf8")).not.toBe("not V8's code");
  });

  it("still runs an import() the bundler left (Node warns that the loader for it is experimental)", () => {
    fs.writeFileSync(path.join(dir, "app.cjs"), `import("node:path").then((p) => console.log(p.sep));\n`);
    expect(run("app.cjs")).toMatchObject({ status: 0, out: `${path.sep}\n` });
  });
});
