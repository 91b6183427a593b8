import { describe, expect, it } from "vitest";
import { newSalt } from "./commitment.js";
import { consentIdOf, consentOfGrant, grantScopeSalt, scopeOf } from "./consent.js";

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

describe("the consent behind an AccessGrant", () => {
  const patient = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  const doctor = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
  it("is derived from the grant's ID alone, whatever the order of its records", () => {
    const a = consentOfGrant(patient, doctor, { id: "kjzl-grant-1", recordIds: ["r1", "r2"] });
    expect(consentOfGrant(patient, doctor, { id: "kjzl-grant-1", recordIds: ["r2", "r1"] })).toEqual(a);
    expect(a.scope).toBe(scopeOf(["r1", "r2"], grantScopeSalt("kjzl-grant-1")));
    expect(a.consentId).toBe(consentIdOf(patient, doctor, a.scope));
    expect(consentOfGrant(patient, doctor, { id: "kjzl-grant-2", recordIds: ["r1", "r2"] }).consentId).not.toBe(a.consentId);
  });
  it("refuses an empty grant ID", () => {
    expect(() => grantScopeSalt("")).toThrow(/grant ID/);
  });
});
