import { describe, expect, it } from "vitest";
import { base64urlToBytes, base64urlToJson, bytesToBase64url } from "./base64url.js";

describe("base64url", () => {
  it("matches Node's encoder for every length, large inputs included", () => {
    for (const length of [0, 1, 2, 3, 4, 5, 100_000]) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 37) % 256);
      const text = bytesToBase64url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString("base64url"));
      expect(base64urlToBytes(text)).toEqual(bytes);
    }
  });

  it("answers undefined for text that is not unpadded base64url, or not JSON", () => {
    for (const bad of ["a", "ab=", "a+b/", "é", "abcde"]) expect(base64urlToBytes(bad)).toBeUndefined();
    expect(base64urlToJson(bytesToBase64url(new Uint8Array([0xff, 0xfe])))).toBeUndefined();
    expect(base64urlToJson(bytesToBase64url(new TextEncoder().encode("{")))).toBeUndefined();
    expect(base64urlToJson(bytesToBase64url(new TextEncoder().encode('{"a":1}')))).toEqual({ a: 1 });
  });
});
