// How the viewer turns a record's decrypted bytes into something to look at, without ever running
// anything the record holds: text is shown as text, CSV as a table, JSON (FHIR too) pretty-printed, images
// through an <img> (which runs no script, even in SVG), web pages in an iframe with an empty sandbox (no
// scripts, no forms, an origin of its own) under a CSP of their own that loads nothing.

/** Records larger than this are not decrypted for a preview, only downloaded. */
export const PREVIEW_LIMIT_BYTES = 50 * 1024 * 1024;
/** Rows of a CSV shown at most; the download has them all. */
export const MAX_TABLE_ROWS = 500;
/** Characters of text shown at most. */
export const MAX_TEXT_CHARS = 2_000_000;

export function decodeText(bytes: Uint8Array): { text: string; truncated: boolean } {
  const text = new TextDecoder("utf-8").decode(bytes);
  return text.length > MAX_TEXT_CHARS ? { text: text.slice(0, MAX_TEXT_CHARS), truncated: true } : { text, truncated: false };
}

export interface JsonPreview {
  pretty: string;
  /** For a FHIR resource: its type, id and the scalar facts at its top level. */
  fhir?: { resourceType: string; id?: string; facts: [string, string][]; entries?: string[] };
}

/** Parsed and pretty-printed; a FHIR resource (one with a resourceType) also gets a summary. Throws on bad JSON. */
export function jsonPreview(text: string): JsonPreview {
  const value: unknown = JSON.parse(text);
  const pretty = JSON.stringify(value, null, 2);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { pretty };
  const resource = value as Record<string, unknown>;
  if (typeof resource.resourceType !== "string") return { pretty };
  const facts = Object.entries(resource)
    .filter(([key, v]) => key !== "resourceType" && key !== "id" && (typeof v === "string" || typeof v === "number" || typeof v === "boolean"))
    .map(([key, v]) => [key, String(v)] as [string, string]);
  const entries = Array.isArray(resource.entry)
    ? resource.entry.map((e) => String((e as { resource?: { resourceType?: unknown } })?.resource?.resourceType ?? "unknown"))
    : undefined;
  return {
    pretty,
    fhir: { resourceType: resource.resourceType, ...(typeof resource.id === "string" ? { id: resource.id } : {}), facts, ...(entries ? { entries } : {}) },
  };
}

/**
 * The document a web-page record is shown as: its own markup behind a policy that allows no script, no
 * connection, no form, no frame and images only from data: URIs, so even a sandbox bug loads nothing.
 */
export function sandboxedDocument(html: string): string {
  const policy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'";
  return `<!doctype html><meta http-equiv="Content-Security-Policy" content="${policy}"><meta charset="utf-8">${html}`;
}
