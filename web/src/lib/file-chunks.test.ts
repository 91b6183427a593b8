import { describe, expect, it } from "vitest";
import { fileChunks, fileSource } from "./file-chunks";

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

describe("fileSource", () => {
  const bytes = new Uint8Array(10_001).map((_, i) => (i * 7) % 256);

  it("reads a file up to the bound whole, as one array (hashed by WebCrypto in one call)", async () => {
    for (const bound of [10_001, 20_000]) {
      const source = await fileSource(new Blob([bytes]), bound);
      expect(source).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(source as Uint8Array).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it("streams a file over the bound slice by slice, never whole", async () => {
    const source = await fileSource(new Blob([bytes]), 10_000);
    expect(source).not.toBeInstanceOf(Uint8Array);
    const parts: Uint8Array[] = [];
    for await (const part of source as AsyncIterable<Uint8Array>) parts.push(part);
    expect(Buffer.concat(parts).equals(Buffer.from(bytes))).toBe(true);
  });
});
