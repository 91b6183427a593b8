import {
  AgentError,
  isDid as agentIsDid,
  pkhAddress as agentPkhAddress,
  withoutTrailingSlash as agentWithoutTrailingSlash,
  type AgentErrorCode,
  type LicenseSummary as AgentLicenseSummary,
} from "@openchart/agent";
import { CodedError, isDid, LicenseSummarySchema, parsePkhDid, withoutTrailingSlash, type LicenseSummary } from "@openchart/sdk";
import { Check } from "typebox/value";
import { describe, expect, expectTypeOf, it } from "vitest";

// The agent does not depend on the sdk: what it shares with the wire contract is checked here, where both meet.
describe("the agent keeps the sdk's wire contract", () => {
  it("summarises licenses in the sdk's LicenseSummary shape", () => {
    expectTypeOf<AgentLicenseSummary>().toEqualTypeOf<LicenseSummary>();
    const summary: AgentLicenseSummary = {
      id: "urn:uuid:1",
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
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "AgentError", code: "INVALID_INPUT", message: "bad" });
    expect(error.code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
  });

  it("reads DIDs by the sdk's rules", () => {
    const address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const cases = [
      `did:pkh:eip155:31337:${address}`,
      `did:pkh:eip155:1:${address.toLowerCase()}`,
      `did:pkh:eip155:0:${address}`,
      `did:pkh:eip155:31337:${address}0`,
      "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
      "did:web:example.com:user",
      "did:key:z6Mk#fragment",
      "did:KEY:z6Mk",
      "did:",
      "not a did",
      `did:key:${"z".repeat(200)}`,
    ];
    for (const did of cases) {
      expect(agentIsDid(did), did).toBe(isDid(did));
      expect(agentPkhAddress(did), did).toBe(parsePkhDid(did)?.address.toLowerCase() ?? null);
    }
  });

  it("joins routes to base URLs by the sdk's rule", () => {
    for (const url of ["http://127.0.0.1:8787", "http://127.0.0.1:8787/", "https://api.example/v1///", ""]) {
      expect(agentWithoutTrailingSlash(url)).toBe(withoutTrailingSlash(url));
    }
  });
});
