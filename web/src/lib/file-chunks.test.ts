import { describe, expect, it } from "vitest";
import { fileChunks } from "./file-chunks";

describe("fileChunks", () => {
  it("yields the whole file in order, in bounded slices, with progress", async () => {
    const bytes = new Uint8Array(10_001).map((_, i) => i % 256);
    const progress: number[] = [];
    const parts: Uint8Array[] = [];
    for await (const part of fileChunks(new Blob([bytes]), (done) => progress.push(done), 4096)) parts.push(part);
    expect(parts.map((p) => p.length)).toEqual([4096, 4096, 1809]);
    expect(Buffer.concat(parts).equals(Buffer.from(bytes))).toBe(true);
    expect(progress).toEqual([0, 4096, 8192, 10_001]);
  });

  it("yields nothing for an empty file", async () => {
    const parts = [];
    for await (const part of fileChunks(new Blob([]))) parts.push(part);
    expect(parts).toEqual([]);
  });
});
