import { createHash } from "node:crypto";
import type { Bundle } from "@medplum/fhirtypes";
import { describe, expect, it } from "vitest";
import { hl7Example } from "../../test/fhir-validator.js";
import { FhirImportError, planImport } from "./import-plan.js";

// Real example bundles from the FHIR R4 specification (npm package hl7.fhir.r4.examples), not written for this test.
const xds = (): Bundle => hl7Example<Bundle>("Bundle-xds.json");

describe("planImport on the HL7 R4 examples", () => {
  it("an XDS transaction: the DocumentReference takes the bytes of the Binary it names, with its LOINC category; Patient and Practitioners become no record", () => {
    const plan = planImport(xds());
    expect(plan.items).toHaveLength(1);
    const [document] = plan.items;
    expect(document).toMatchObject({ title: "Physical", mediaType: "text/plain", category: "47039-3", source: "Bundle.entry[0] (DocumentReference)" });
    expect(new TextDecoder().decode(document!.bytes)).toBe("asdasdasdasdasd");
    expect(plan.skipped.map((s) => s.source)).toEqual(["Bundle.entry[1] (Patient/a2)", "Bundle.entry[2] (Practitioner/a3)", "Bundle.entry[3] (Practitioner/a4)"]);
  });

  it("a lipid panel: the DiagnosticReport and each Observation become FHIR JSON records filed as laboratory reports", () => {
    const bundle = hl7Example<Bundle>("Bundle-lipids.json");
    const plan = planImport(bundle);
    expect(plan.items.map((i) => i.title)).toEqual([
      "DiagnosticReport: Lipid Panel",
      "Observation: Cholesterol",
      "Observation: Triglyceride",
      "Observation: Cholesterol in HDL",
      "Observation: LDL Chol. (Calc)",
    ]);
    for (const item of plan.items) {
      expect(item).toMatchObject({ mediaType: "application/fhir+json", category: "11502-2" });
    }
    expect(JSON.parse(new TextDecoder().decode(plan.items[1]!.bytes))).toEqual(bundle.entry![1]!.resource);
  });

  it("a discharge document: each clinical resource under its category (prescription, summary of care)", () => {
    const plan = planImport(hl7Example("Bundle-father.json"));
    expect(plan.items.map((i) => [i.title.split(/[:/]/)[0], i.category])).toEqual([
      ["Composition", "34133-9"],
      ["Encounter", "34133-9"],
      ["Observation", "11502-2"],
      ["MedicationRequest", "57833-6"],
      ["MedicationStatement", "57833-6"],
      ["AllergyIntolerance", "34133-9"],
    ]);
  });

  it("a standalone Binary (the HL7 example PDF) is kept as a file of its media type", () => {
    const binary = hl7Example<{ data: string }>("Binary-example.json");
    const plan = planImport({ resourceType: "Bundle", type: "collection", entry: [{ resource: binary }] });
    expect(plan.items[0]).toMatchObject({ mediaType: "application/pdf", title: "File Binary/example" });
    expect(Buffer.from(plan.items[0]!.bytes).equals(Buffer.from(binary.data, "base64"))).toBe(true);
  });
});

type Mutation = (bundle: Bundle & Record<string, unknown>) => unknown;

function refusal(mutate: Mutation): FhirImportError {
  const bundle = xds() as Bundle & Record<string, unknown>;
  const changed = mutate(bundle) ?? bundle;
  try {
    planImport(changed);
  } catch (error) {
    expect(error).toBeInstanceOf(FhirImportError);
    return error as FhirImportError;
  }
  throw new Error("the malformed bundle was accepted");
}

const doc = (b: Bundle): Record<string, unknown> => b.entry![0]!.resource as unknown as Record<string, unknown>;
const attachment = (b: Bundle): Record<string, unknown> => (doc(b).content as { attachment: Record<string, unknown> }[])[0]!.attachment;
const binary = (b: Bundle): Record<string, unknown> => b.entry![4]!.resource as unknown as Record<string, unknown>;

describe("planImport refuses a malformed Bundle whole, naming the resource and the path", () => {
  const cases: [string, Mutation, string, string][] = [
    ["not JSON object", () => "[]", "Bundle", "Bundle"],
    ["another resource type", () => hl7Example("Patient-example.json"), "Bundle", "Bundle.resourceType"],
    ["entry not an array", (b) => void (b.entry = {} as never), "Bundle", "Bundle.entry"],
    ["an entry that is not an object", (b) => void (b.entry![2] = 7 as never), "Bundle", "Bundle.entry[2]"],
    ["a resource without a resourceType", (b) => void delete (b.entry![1]!.resource as unknown as Record<string, unknown>).resourceType, "Bundle", "Bundle.entry[1].resource.resourceType"],
    ["a resource id FHIR does not allow", (b) => void ((b.entry![1]!.resource as { id: string }).id = "a2 <script>"), "Patient/a2 <script>", "Bundle.entry[1].resource.id"],
    ["two entries with one full URL", (b) => void (b.entry![3]!.fullUrl = b.entry![2]!.fullUrl), "Practitioner/a4", "Bundle.entry[3].fullUrl"],
    ["a DocumentReference with no content", (b) => void (doc(b).content = []), "DocumentReference", "Bundle.entry[0].resource.content"],
    ["an attachment that is not an object", (b) => void ((doc(b).content as unknown[])[0] = { attachment: "x" }), "DocumentReference", "Bundle.entry[0].resource.content[0].attachment"],
    ["inline data that is not base64", (b) => void (attachment(b).data = "not base64!"), "DocumentReference", "Bundle.entry[0].resource.content[0].attachment.data"],
    ["inline data whose size is not the declared size", (b) => void Object.assign(attachment(b), { data: "aGVsbG8=", size: 99 }), "DocumentReference", "Bundle.entry[0].resource.content[0].attachment.size"],
    [
      "inline data altered after its SHA-1 was taken",
      (b) => void Object.assign(attachment(b), { data: "aGVsbG8=", hash: createHash("sha1").update("hellO").digest("base64") }),
      "DocumentReference",
      "Bundle.entry[0].resource.content[0].attachment.hash",
    ],
    ["a contentType that is no media type", (b) => void (attachment(b).contentType = "text plain"), "DocumentReference", "Bundle.entry[0].resource.content[0].attachment.contentType"],
    ["a Binary whose data is not base64", (b) => void (binary(b).data = "%%%"), "Binary/1e404af3-077f-4bee-b7a6-a9be97e1ce32", "Bundle.entry[4].resource.data"],
    ["a Binary with no data", (b) => void delete binary(b).data, "Binary/1e404af3-077f-4bee-b7a6-a9be97e1ce32", "Bundle.entry[4].resource.data"],
    ["a Binary with no contentType", (b) => void delete binary(b).contentType, "Binary/1e404af3-077f-4bee-b7a6-a9be97e1ce32", "Bundle.entry[4].resource.contentType"],
    ["nothing to import", (b) => void (b.entry = b.entry!.slice(1, 4)), "Bundle", "Bundle.entry"],
  ];
  it.each(cases)("%s", (_name, mutate, resource, path) => {
    const error = refusal(mutate);
    expect({ resource: error.resource, path: error.path, code: error.code }).toEqual({ resource, path, code: "INVALID_INPUT" });
    expect(error.message).toContain(`${resource} at ${path}: `);
    expect(error.message).toMatch(/nothing imported/);
  });

  it("a fault in the last entry refuses the entries before it too (nothing half-imported)", () => {
    const bundle = hl7Example<Bundle>("Bundle-lipids.json");
    (bundle.entry![4]!.resource as unknown as Record<string, unknown>).id = "";
    expect(() => planImport(bundle)).toThrow(/Bundle\.entry\[4\]\.resource\.id/);
  });
});
