import { describe, expect, it } from "vitest";
import { newSalt } from "./commitment.js";
import { consentIdOf, scopeOf } from "./consent.js";

describe("scopeOf", () => {
  it("is the same for the same records in any order, and differs with the salt", () => {
    const salt = newSalt();
    expect(scopeOf(["kjz1", "kjz2"], salt)).toBe(scopeOf(["kjz2", "kjz1", "kjz2"], salt));
    expect(scopeOf(["kjz1", "kjz2"], salt)).not.toBe(scopeOf(["kjz1", "kjz2"], newSalt()));
    expect(scopeOf(["kjz1"], salt)).not.toBe(scopeOf(["kjz1", "kjz2"], salt));
  });

  it("refuses an empty record set and a malformed salt", () => {
    expect(() => scopeOf([], newSalt())).toThrow(/at least one record/);
    expect(() => scopeOf(["kjz1"], "0x12")).toThrow(/salt must be 32-byte hex/);
  });
});

describe("consentIdOf", () => {
  it("refuses malformed addresses, naming the field", () => {
    expect(() => consentIdOf("0x12", `0x${"11".repeat(20)}`, newSalt())).toThrow(/patient must be an address/);
  });
});
