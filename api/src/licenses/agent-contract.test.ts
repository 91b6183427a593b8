import { AgentError, type AgentErrorCode, type LicenseSummary as AgentLicenseSummary } from "@openchart/agent";
import { CodedError, LicenseSummarySchema, type LicenseSummary } from "@openchart/sdk";
import { Check } from "typebox/value";
import { describe, expect, expectTypeOf, it } from "vitest";

// The agent takes its wire shapes and error base from the sdk; what reaches the API is checked here, where both meet.
describe("the agent keeps the sdk's wire contract", () => {
  it("summarises licenses in the sdk's LicenseSummary shape", () => {
    expectTypeOf<AgentLicenseSummary>().toEqualTypeOf<LicenseSummary>();
    const summary: AgentLicenseSummary = {
      id: "urn:uuid:1",
      type: "MedicalLicenseCredential",
      subject: "did:pkh:eip155:31337:0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
      licenseNumber: "MD-1",
      specialty: { system: "http://snomed.info/sct", code: "394579002", label: "Cardiology" },
      jurisdiction: "NL",
      validFrom: "2026-01-01T00:00:00.000Z",
      validUntil: "2027-01-01T00:00:00.000Z",
      state: "not_yet_valid",
    };
    expect(Check(LicenseSummarySchema, summary)).toBe(true);
  });

  it("throws errors of the sdk's CodedError shape", () => {
    expectTypeOf<AgentError>().toExtend<CodedError<AgentErrorCode>>();
    const error = new AgentError("INVALID_INPUT", "bad");
    expect(error).toBeInstanceOf(CodedError);
    expect(error).toMatchObject({ name: "AgentError", code: "INVALID_INPUT", message: "bad" });
    expect(error.code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
  });
});
