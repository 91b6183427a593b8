import { describe, expect, it } from "vitest";
import { consentOfGrant, grantSalt, pickConsent, type ConsentState } from "./consents";

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

describe("the consent that backs a grant", () => {
  const derived = consentOfGrant(PATIENT, DOCTOR, { id: "kjz1", recordIds: ["r1"] }).consentId;
  const state = (consentId: string, status: ConsentState["status"]): ConsentState =>
    ({ consentId, patient: PATIENT, expiresAt: 0, status }) as ConsentState;
  const other = `0x${"11".repeat(32)}`;

  it("is the grant's own consent when the chain knows it, active or revoked", () => {
    expect(pickConsent([state(derived, "active")], derived)).toEqual({ consentId: derived, active: true });
    // Revoked: never replaced by another active consent of the pair.
    expect(pickConsent([state(derived, "none"), state(other, "active")], derived)).toEqual({ consentId: derived, active: false });
  });

  it("falls back on the pair's only active consent for a grant made elsewhere, else none", () => {
    expect(pickConsent([state(other, "active")], derived)).toEqual({ consentId: other, active: true });
    expect(pickConsent([state(other, "active"), state(`0x${"22".repeat(32)}`, "active")], derived).active).toBe(false);
    expect(pickConsent([], derived).active).toBe(false);
  });
});
