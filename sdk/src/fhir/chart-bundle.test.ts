import { createHash } from "node:crypto";
import type { Bundle, Consent, DocumentReference, MedicationRequest, Provenance } from "@medplum/fhirtypes";
import { describe, expect, it } from "vitest";
import { hl7Example, validateR4 } from "../../test/fhir-validator.js";
import type { Hex } from "../hex.js";
import type { Receipt } from "../receipt.js";
import { CONSENT_ID_SYSTEM, SHA256_EXTENSION, chartBundle, niUriOf, type ChartBundleInput } from "./chart-bundle.js";

const hex = (bytes: Uint8Array): Hex => `0x${createHash("sha256").update(bytes).digest("hex")}`;
const PATIENT = "did:pkh:eip155:31337:0x90f79bf6eb2c4f870365e785982e1f101e93b906";
const pdf = new TextEncoder().encode("%PDF-1.4 lab results");
const receipt: Receipt = {
  documentSha256: hex(pdf),
  salt: `0x${"11".repeat(32)}`,
  leaf: `0x${"22".repeat(32)}`,
  proof: [`0x${"33".repeat(32)}`],
  root: `0x${"44".repeat(32)}`,
  chainId: 31337,
  contract: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
  txHash: `0x${"55".repeat(32)}`,
  blockNumber: 7,
  anchoredAt: 1_760_000_000,
};

function input(): ChartBundleInput {
  return {
    patient: PATIENT,
    records: [
      { id: "kjzl6kcym7w8y5rec1", title: "Blood panel", mediaType: "application/pdf", category: "11502-2", createdAt: "2026-01-02T03:04:05.000Z", size: pdf.length, sha256: hex(pdf), data: pdf, receipt },
      { id: "kjzl6kcym7w8y5rec2", title: "Knee MRI", mediaType: "application/dicom", createdAt: "2026-01-03T03:04:05.000Z", size: 5_000_000, sha256: `0x${"ab".repeat(32)}` },
      { id: "kjzl6kcym7w8y5rec3", title: "Scan", mediaType: "image/png", createdAt: "2026-01-04T03:04:05.000Z", size: 10, sha256: `0x${"cd".repeat(32)}`, url: "records/0003-Scan.png" },
    ],
    grants: [
      { id: "kjzl6grant1", grantee: "did:pkh:eip155:31337:0x15d34aaf54267db7d7c367839aaf71a00a2c6a65", recordIds: ["kjzl6kcym7w8y5rec1"], createdAt: "2026-01-05T00:00:00.000Z", expiresAt: "2099-01-01T00:00:00.000Z", revoked: false, consentId: `0x${"66".repeat(32)}` },
      { id: "kjzl6grant2", grantee: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", recordIds: ["kjzl6kcym7w8y5rec2"], createdAt: "2026-01-05T00:00:00.000Z", expiresAt: "2099-01-01T00:00:00.000Z", revoked: true },
    ],
    // A real prescription: the HL7 R4 example MedicationRequest (the e-prescription module hands in its own).
    prescriptions: [hl7Example<MedicationRequest>("MedicationRequest-medrx0301.json")],
  };
}

function resources<T>(bundle: Bundle, type: string): T[] {
  return bundle.entry!.map((e) => e.resource!).filter((r) => r.resourceType === type) as T[];
}

describe("chartBundle: the chart as a FHIR R4 Bundle", () => {
  it("is valid R4, every resource checked by @medplum/core's validator", () => {
    const bundle = chartBundle(input());
    expect(bundle.entry!.map((e) => e.resource!.resourceType)).toEqual(["Patient", "DocumentReference", "Provenance", "DocumentReference", "DocumentReference", "Consent", "Consent", "MedicationRequest"]);
    validateR4(bundle);
    for (const { resource } of bundle.entry!) validateR4(resource!);
    // Every reference the export writes points inside the bundle (the example prescription's own references are its own).
    const fullUrls = new Set(bundle.entry!.map((e) => e.fullUrl));
    const own = bundle.entry!.filter((e) => e.resource!.resourceType !== "MedicationRequest");
    const references = JSON.stringify(own).match(/"reference":"[^"]+"/g)!.map((r) => r.slice(13, -1));
    expect(references.length).toBeGreaterThan(5);
    for (const reference of references) expect(fullUrls).toContain(reference);
  });

  it("the validator is not a rubber stamp: a DocumentReference without content or a Consent without status is refused", () => {
    const bundle = chartBundle(input());
    const [document] = resources<DocumentReference>(bundle, "DocumentReference");
    expect(() => validateR4({ ...document!, content: [] })).toThrow(/content/);
    const [consent] = resources<Consent>(bundle, "Consent");
    const { status: _status, ...noStatus } = consent!;
    expect(() => validateR4(noStatus as Consent)).toThrow(/status/);
  });

  it("carries each record inline or by URL with its SHA-256, each receipt in a Provenance, each grant as a Consent", () => {
    const bundle = chartBundle(input());
    const [inline, byHash, byPath] = resources<DocumentReference>(bundle, "DocumentReference");
    expect(Buffer.from(inline!.content[0]!.attachment.data!, "base64").equals(Buffer.from(pdf))).toBe(true);
    expect(inline!.content[0]!.attachment.extension).toEqual([{ url: SHA256_EXTENSION, valueString: hex(pdf).slice(2) }]);
    expect(inline!.category![0]!.coding![0]).toEqual({ system: "http://loinc.org", code: "11502-2" });
    // RFC 6920: the URL names the bytes by their SHA-256.
    expect(byHash!.content[0]!.attachment.url).toBe(niUriOf(`0x${"ab".repeat(32)}`));
    expect(byHash!.content[0]!.attachment.url).toBe(`ni:///sha-256;${Buffer.from("ab".repeat(32), "hex").toString("base64url")}`);
    expect(byPath!.content[0]!.attachment.url).toBe("records/0003-Scan.png");

    const [provenance] = resources<Provenance>(bundle, "Provenance");
    expect(provenance!.target[0]!.reference).toBe(bundle.entry!.find((e) => e.resource === inline)!.fullUrl);
    expect(JSON.parse(Buffer.from(provenance!.signature![0]!.data!, "base64").toString())).toEqual(receipt);
    expect(provenance!.recorded).toBe(new Date(receipt.anchoredAt * 1000).toISOString());

    const [active, revoked] = resources<Consent>(bundle, "Consent");
    expect(active!.status).toBe("active");
    expect(active!.identifier).toContainEqual({ system: CONSENT_ID_SYSTEM, value: `0x${"66".repeat(32)}` });
    expect(active!.provision!.data![0]!.reference.reference).toBe(provenance!.target[0]!.reference);
    expect(revoked!.status).toBe("inactive");
    const [prescription] = resources<MedicationRequest>(bundle, "MedicationRequest");
    expect(prescription!.subject.reference).toBe(bundle.entry![0]!.fullUrl);
  });

  it("exports no MedicationRequest, Consent or Provenance when there are none", () => {
    const bundle = chartBundle({ patient: PATIENT, records: [] });
    expect(bundle.entry!.map((e) => e.resource!.resourceType)).toEqual(["Patient"]);
    validateR4(bundle);
  });
});
