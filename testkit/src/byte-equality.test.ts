import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";

describe("byte equality in every workspace's tests", () => {
  const bytes = randomBytes(4 * 1024 * 1024);

  it("finds equal bytes equal, whether Buffer or Uint8Array, nested or not", () => {
    expect(new Uint8Array(bytes)).toEqual(Buffer.from(bytes));
    expect({ content: new Uint8Array(bytes) }).toEqual({ content: Buffer.from(bytes) });
  });

  it("tells arrays apart that differ in one byte or in length", () => {
    // Small: a failed comparison prints a diff of the whole array.
    const bytes = randomBytes(4096);
    const changed = Buffer.from(bytes);
    changed.writeUInt8(changed.readUInt8(changed.length - 1) ^ 1, changed.length - 1);
    expect(() => expect(changed).toEqual(bytes)).toThrow();
    expect(() => expect(bytes.subarray(1)).toEqual(bytes)).toThrow();
    expect(new Uint8Array([1, 2])).not.toEqual(new Uint8Array([1, 2, 0]));
  });
});
