import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scanForMarker } from "./plaintext-scan.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-scan-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("the plaintext scan", () => {
  it("finds a marker stored raw or base64-encoded in any nested file, and nothing in clean files", () => {
    const marker = "OPENCHART-SCAN-MARKER-1234";
    fs.mkdirSync(path.join(root, "a", "b"), { recursive: true });
    fs.writeFileSync(path.join(root, "clean.bin"), Buffer.alloc(4096, 7));
    fs.writeFileSync(path.join(root, "a", "raw.sqlite"), Buffer.concat([Buffer.alloc(100), Buffer.from(marker)]));
    for (const prefix of ["", "x", "xy"]) {
      fs.writeFileSync(path.join(root, "a", "b", `b64-${prefix.length}.json`), JSON.stringify({ v: Buffer.from(prefix + marker).toString("base64") }));
    }
    const result = scanForMarker(root, marker);
    expect(result.files).toBe(5);
    expect(result.hits.sort()).toEqual([path.join("a", "b", "b64-0.json"), path.join("a", "b", "b64-1.json"), path.join("a", "b", "b64-2.json"), path.join("a", "raw.sqlite")]);
  });
});
