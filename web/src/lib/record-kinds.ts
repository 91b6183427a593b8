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

/** FHIR DocumentReference categories the upload form offers (LOINC document classes), declared in the sdk. */
export { RECORD_CATEGORIES as CATEGORIES, categoryLabel } from "@openchart/sdk";
