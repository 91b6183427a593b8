import { describe, expect, it } from "vitest";
import { ApiClient } from "./api";
import { checkIssueInput, checkRevokeReason, presentLicense, revocationNotice, revokeLicense, specialtyLabel, SPECIALTIES, verifiedDoctor } from "./licenses";

const valid = {
  subject: "did:pkh:eip155:31337:0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
  name: "Dr. Ada Byron",
  licenseNumber: "MD-1",
  specialty: SPECIALTIES[0]!,
  jurisdiction: "CH-ZH",
  validUntil: new Date("2030-01-01"),
};

describe("license forms and calls", () => {
  it("accepts a complete issue form and names every missing part", () => {
    expect(checkIssueInput(valid, new Date("2026-01-01"))).toEqual([]);
    const problems = checkIssueInput({ ...valid, subject: "Dr Who", name: " ", licenseNumber: " ", jurisdiction: "", validUntil: new Date("2020-01-01") }, new Date("2026-01-01"));
    expect(problems).toHaveLength(5);
    expect(problems).toContain("Enter the doctor's name as your register records it.");
    expect(checkIssueInput({ ...valid, name: "x".repeat(101) }, new Date("2026-01-01"))).toEqual(["Keep the doctor's name under 100 characters."]);
  });

  it("labels specialties given as objects or strings", () => {
    expect(specialtyLabel(SPECIALTIES[2]!)).toBe("Cardiology");
    expect(specialtyLabel("Cardiology")).toBe("Cardiology");
  });

  it("asks the public doctor route with the DID escaped", async () => {
    const urls: string[] = [];
    const api = new ApiClient({ apiUrl: "http://api", apiAudience: "http://api" }, undefined, async (input) => {
      urls.push(String(input));
      return new Response(JSON.stringify({ doctor: { did: valid.subject }, verifiedAt: "now" }));
    });
    await verifiedDoctor(api, valid.subject);
    expect(urls).toEqual([`http://api/doctors/${encodeURIComponent(valid.subject)}`]);
  });

  it("needs a signed-in session to present a license", async () => {
    const api = new ApiClient({ apiUrl: "http://api", apiAudience: "http://api" });
    await expect(presentLicense(api, { request: async () => "0x" }, "0x1", "jwt")).rejects.toThrow("Sign in first.");
  });

  it("says what a revocation does before it is confirmed, and sends it only with a reason", async () => {
    expect(revocationNotice({ licenseNumber: "MD-1", subject: valid.subject })).toMatch(new RegExp(`MD-1 of ${valid.subject} is final.*cannot be reinstated.*audit log`));
    expect(checkRevokeReason("  ")).toMatch(/reason/);
    expect(checkRevokeReason("x".repeat(501))).toMatch(/500/);
    expect(checkRevokeReason("license withdrawn")).toBeNull();
    const bodies: unknown[] = [];
    const api = new ApiClient({ apiUrl: "http://api", apiAudience: "http://api" }, undefined, async (_input, init) => {
      bodies.push(init?.body);
      return new Response("{}");
    });
    await expect(revokeLicense(api, "urn:uuid:1", " ")).rejects.toThrow(/Give the reason/);
    expect(bodies).toEqual([]);
  });
});
