// The record categories the apps offer: LOINC document classes, as FHIR DocumentReference.category codes.
// Declared once here: the web app's upload form and filters show them, the FHIR import files resources under them.

export const LOINC_SYSTEM = "http://loinc.org";

export const RECORD_CATEGORIES = [
  { code: "11502-2", label: "Laboratory report" },
  { code: "18748-4", label: "Imaging report" },
  { code: "11488-4", label: "Consultation note" },
  { code: "18842-5", label: "Discharge summary" },
  { code: "57833-6", label: "Prescription" },
  { code: "11369-6", label: "Immunizations" },
  { code: "34133-9", label: "Summary of care" },
] as const satisfies readonly { code: string; label: string }[];

export type RecordCategoryCode = (typeof RECORD_CATEGORIES)[number]["code"];

/** A category's label; a code another app wrote is shown as it is. */
export function categoryLabel(code: string | undefined): string {
  if (!code) return "Uncategorized";
  return RECORD_CATEGORIES.find((c) => c.code === code)?.label ?? code;
}
