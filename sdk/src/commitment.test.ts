import { createHash } from "node:crypto";
import { keccak256 } from "ethers";
import { describe, expect, it } from "vitest";
import { commitmentOf, documentSha256, newSalt } from "./commitment.js";

describe("documentSha256", () => {
  it("matches node's SHA-256, whole or streamed in uneven chunks", async () => {
    const bytes = new Uint8Array(100_003).map((_, i) => (i * 31) % 251);
    const expected = `0x${createHash("sha256").update(bytes).digest("hex")}`;
    expect(await documentSha256(bytes)).toBe(expected);
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 4096 + 7) yield bytes.subarray(i, i + 4096 + 7);
    }
    expect(await documentSha256(chunks())).toBe(expected);
    expect(await documentSha256(new Uint8Array())).toBe(`0x${createHash("sha256").digest("hex")}`);
  });
});

describe("commitmentOf", () => {
  it("is keccak256(sha256 || salt)", () => {
    const sha = `0x${"11".repeat(32)}` as const;
    const salt = `0x${"22".repeat(32)}` as const;
    expect(commitmentOf(sha, salt)).toBe(keccak256(`0x${"11".repeat(32)}${"22".repeat(32)}`));
  });

  it("hides the document: two salts give unrelated commitments", () => {
    const sha = `0x${"33".repeat(32)}` as const;
    expect(commitmentOf(sha, newSalt())).not.toBe(commitmentOf(sha, newSalt()));
  });

  it("refuses malformed input with a clear error", () => {
    expect(() => commitmentOf("0x12", newSalt())).toThrow(/documentSha256 must be 32-byte hex/);
    expect(() => commitmentOf(newSalt(), "0xzz" as `0x${string}`)).toThrow(/salt must be 32-byte hex/);
  });
});
