import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Bitstring, MIN_LIST_BITS } from "./bitstring.js";

// The encodedList of the examples in W3C Bitstring Status List v1.0 (section 2): an empty 16 KiB list.
const SPEC_EXAMPLE = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA";

describe("Bitstring", () => {
  it("decodes the spec's example list as 131,072 clear bits", () => {
    const list = Bitstring.decode(SPEC_EXAMPLE);
    expect(list.length).toBe(MIN_LIST_BITS);
    expect(list.toBytes().every((byte) => byte === 0)).toBe(true);
    expect(list.get(0)).toBe(false);
    expect(list.get(94567)).toBe(false);
  });

  it("puts index 0 in the most significant bit of the first byte (the spec's left-most bit)", () => {
    const list = Bitstring.empty(16);
    list.set(0, true);
    list.set(9, true);
    list.set(15, true);
    expect(Array.from(list.toBytes())).toEqual([0b1000_0000, 0b0100_0001]);
  });

  it("reads bits from bytes a third party compressed", () => {
    const bytes = new Uint8Array(MIN_LIST_BITS / 8);
    bytes[11820] = 0b0000_0001; // index 94567 = byte 11820, bit 7 from the left
    const list = Bitstring.decode(`u${gzipSync(bytes).toString("base64url")}`);
    expect(list.get(94567)).toBe(true);
    expect(list.get(94566)).toBe(false);
  });

  it("round-trips through encode and decode, and clears bits", () => {
    const list = Bitstring.empty();
    list.set(94567, true);
    list.set(131071, true);
    const encoded = list.encode();
    expect(encoded.startsWith("u")).toBe(true);
    expect(encoded).not.toMatch(/[+/=]/);
    const back = Bitstring.decode(encoded);
    expect(back.get(94567)).toBe(true);
    expect(back.get(131071)).toBe(true);
    back.set(94567, false);
    expect(Bitstring.decode(back.encode()).get(94567)).toBe(false);
  });

  it("refuses malformed lists and out-of-range indexes with precise messages", () => {
    expect(() => Bitstring.decode(SPEC_EXAMPLE.slice(1))).toThrow(/starting with "u"/);
    expect(() => Bitstring.decode("u!!!")).toThrow(/not base64url/);
    expect(() => Bitstring.decode("uAAAA")).toThrow(/not GZIP/);
    expect(() => Bitstring.decode(`u${gzipSync(new Uint8Array(0)).toString("base64url")}`)).toThrow(/empty/);
    const list = Bitstring.empty(8);
    expect(() => list.get(8)).toThrow(/outside the list/);
    expect(() => list.set(-1, true)).toThrow(/outside the list/);
    expect(() => Bitstring.empty(12)).toThrow(/multiple of 8/);
  });
});
