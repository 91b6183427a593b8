import { exportConsentProof, newConsentOpening } from "@openchart/sdk";
import { describe, expect, it } from "vitest";
import { auditConsentProof, describeConsentState } from "./audit";

const REGISTRY = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const opening = newConsentOpening({
  chainId: 31337,
  registry: REGISTRY,
  patient: "did:pkh:eip155:31337:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
  grantee: "did:pkh:eip155:31337:0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
  recordIds: ["r1"],
  patientSecret: new Uint8Array(32).fill(9),
}).opening;
const proof = JSON.stringify(exportConsentProof(opening));
// Nothing listens here: the refusals below must come before any chain read.
const NO_CHAIN = "http://127.0.0.1:9";

describe("an auditor's consent proof", () => {
  it("refuses a file that is not a consent proof, in words", async () => {
    expect(await auditConsentProof("{oops", NO_CHAIN)).toMatchObject({ matched: false, message: expect.stringMatching(/^NOT A VALID CONSENT PROOF: a consent proof must be JSON/) });
    const altered = JSON.stringify({ ...exportConsentProof(opening), opening: { ...opening, grantee: "someone" } });
    expect(await auditConsentProof(altered, NO_CHAIN)).toMatchObject({ matched: false, message: expect.stringMatching(/^NOT A VALID CONSENT PROOF: .*grantee/) });
  });

  it("says when the proof is for another chain or registry than the site's", async () => {
    expect(await auditConsentProof(proof, NO_CHAIN, { chainId: 137 })).toMatchObject({ matched: false, message: expect.stringMatching(/^DOES NOT MATCH: the proof is for chain 31337/) });
    expect(await auditConsentProof(proof, NO_CHAIN, { chainId: 31337, registry: "0x0000000000000000000000000000000000000001" })).toMatchObject({
      matched: false,
      message: expect.stringMatching(/^DOES NOT MATCH: the proof names registry/),
    });
  });

  it("describes each chain state", () => {
    expect(describeConsentState({ status: "active", expiresAt: 0 })).toBe("ACTIVE: the consent holds until 1970-01-01 00:00:00 UTC.");
    expect(describeConsentState({ status: "revoked", expiresAt: 0 })).toMatch(/^REVOKED/);
    expect(describeConsentState({ status: "none", expiresAt: 0 })).toMatch(/^NOT ACTIVE/);
  });
});
