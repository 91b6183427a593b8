import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

// vendor/prebuilds saves `npm ci` two SQLite compilations (scripts/prebuilds/build.sh says why). A stale or
// altered binary would not fail the install (prebuild-install falls back to compiling only when no file
// matches), so this is where a version bump without a rebuild, or a changed binary, is caught.
const root = path.resolve(__dirname, "../..");
const folder = path.join(root, "vendor/prebuilds");
const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
  packages: Record<string, { version: string }>;
};

/** The names of the files in a tar archive (512-byte headers; names in the first 100 bytes). */
function tarNames(archive: Buffer): string[] {
  const names: string[] = [];
  for (let at = 0; at + 512 <= archive.length; ) {
    const name = archive.subarray(at, at + 100).toString("utf8").replace(/\0.*$/s, "");
    if (name === "") break;
    const size = parseInt(archive.subarray(at + 124, at + 136).toString("utf8").replace(/\0.*$/s, "").trim(), 8);
    names.push(name);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

describe("vendored SQLite prebuilds", () => {
  const cases = [
    { name: "better-sqlite3", binary: "build/Release/better_sqlite3.node", runtime: "node" },
    { name: "sqlite3", binary: "build/Release/node_sqlite3.node", runtime: "napi" },
  ];

  it.each(cases)("$name: one archive for the locked version, holding only its binary", ({ name, binary, runtime }) => {
    const version = lock.packages[`node_modules/${name}`]?.version;
    expect(version).toBeDefined();
    const archives = readdirSync(folder).filter((file) => file.startsWith(`${name}-v`));
    expect(archives).toEqual([expect.stringMatching(new RegExp(`^${name}-v${version}-${runtime}-v\\d+-linux-x64\\.tar\\.gz$`))]);
    expect(tarNames(gunzipSync(readFileSync(path.join(folder, archives[0] ?? ""))))).toEqual([binary]);
  });

  it("every archive matches SHA256SUMS, and SHA256SUMS lists every archive", () => {
    const sums = readFileSync(path.join(folder, "SHA256SUMS"), "utf8").trim().split("\n");
    const listed = sums.map((line) => {
      const [hash = "", file = ""] = line.split(/\s+\.?\/?/);
      expect(createHash("sha256").update(readFileSync(path.join(folder, file))).digest("hex")).toBe(hash);
      return file;
    });
    expect(listed.sort()).toEqual(readdirSync(folder).filter((file) => file.endsWith(".tar.gz")).sort());
  });
});
