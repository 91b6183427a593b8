import { describe, expect, it } from "vitest";
import { consentOfGrant, grantSalt } from "./consents";

const PATIENT = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const DOCTOR = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

describe("the on-chain consent behind an AccessGrant", () => {
  it("is recomputed from the grant alone, whatever the record order", () => {
    const a = consentOfGrant(PATIENT, DOCTOR, { id: "kjz1", recordIds: ["r1", "r2"] });
    const b = consentOfGrant(PATIENT, DOCTOR, { id: "kjz1", recordIds: ["r2", "r1"] });
    expect(a).toEqual(b);
    expect(a.consentId).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("differs per grant and per grantee", () => {
    const base = consentOfGrant(PATIENT, DOCTOR, { id: "kjz1", recordIds: ["r1"] });
    expect(consentOfGrant(PATIENT, DOCTOR, { id: "kjz2", recordIds: ["r1"] }).consentId).not.toBe(base.consentId);
    expect(consentOfGrant(PATIENT, PATIENT, { id: "kjz1", recordIds: ["r1"] }).consentId).not.toBe(base.consentId);
    expect(grantSalt("kjz1")).not.toBe(grantSalt("kjz2"));
  });
});
