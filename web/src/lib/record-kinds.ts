// What a record is, from its media type: how the viewer shows it and what the timeline filters on.
// FHIR JSON is told apart from other JSON by its content (a resourceType), once decrypted.

export type RecordKind = "pdf" | "image" | "table" | "text" | "json" | "html" | "other";

export const KIND_LABELS: Record<RecordKind, string> = {
  pdf: "PDF",
  image: "Image",
  table: "Table (CSV)",
  text: "Text",
  json: "JSON / FHIR",
  html: "Web page",
  other: "Other",
};

const IMAGES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp", "image/svg+xml"]);

export function kindOf(mediaType: string): RecordKind {
  const type = mediaType.split(";")[0]!.trim().toLowerCase();
  if (type === "application/pdf") return "pdf";
  if (IMAGES.has(type)) return "image";
  if (type === "text/csv" || type === "application/csv" || type === "text/tab-separated-values") return "table";
  if (type === "application/json" || type === "application/fhir+json" || type.endsWith("+json")) return "json";
  if (type === "text/html" || type === "application/xhtml+xml") return "html";
  if (type.startsWith("text/") || type === "application/xml") return "text";
  return "other";
}

/** FHIR DocumentReference categories the upload form offers (LOINC document classes). */
export const CATEGORIES: readonly { code: string; label: string }[] = [
  { code: "11502-2", label: "Laboratory report" },
  { code: "18748-4", label: "Imaging report" },
  { code: "11488-4", label: "Consultation note" },
  { code: "18842-5", label: "Discharge summary" },
  { code: "57833-6", label: "Prescription" },
  { code: "11369-6", label: "Immunizations" },
  { code: "34133-9", label: "Summary of care" },
];

/** A category's label; a code another app wrote is shown as it is. */
export function categoryLabel(code: string | undefined): string {
  if (!code) return "Uncategorized";
  return CATEGORIES.find((c) => c.code === code)?.label ?? code;
}
