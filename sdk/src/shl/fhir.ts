import type { ShlContentType } from "../api/shl.js";
import { fromBase64url } from "./base64url.js";

/** One record as a patient shares it: what it is called, its media type, its bytes, when it was made. */
export interface ShareableRecord {
  title: string;
  mediaType: string;
  bytes: Uint8Array;
  createdAt?: number;
}

const FHIR_JSON = /^application\/(fhir\+)?json\b/;

const base64Of = (bytes: Uint8Array): string => {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
};

/** A JSON document with a `resourceType`: a FHIR resource as it is (a Bundle included). */
function fhirResourceIn(record: ShareableRecord): Record<string, unknown> | undefined {
  if (!FHIR_JSON.test(record.mediaType)) return undefined;
  try {
    const json = JSON.parse(new TextDecoder().decode(record.bytes)) as unknown;
    return typeof json === "object" && json !== null && typeof (json as { resourceType?: unknown }).resourceType === "string" ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A record as one SHL file (`application/fhir+json`, the IG's type for any FHIR content): a FHIR resource
 * as it is; anything else (PDF, image, text) inside a FHIR R4 DocumentReference with the bytes inline.
 */
export function shlFileOfRecord(record: ShareableRecord): { contentType: ShlContentType; bytes: Uint8Array } {
  const resource = fhirResourceIn(record) ?? {
    resourceType: "DocumentReference",
    status: "current",
    description: record.title,
    ...(record.createdAt === undefined ? {} : { date: new Date(record.createdAt).toISOString() }),
    content: [{ attachment: { contentType: record.mediaType, title: record.title, size: record.bytes.length, data: base64Of(record.bytes) } }],
  };
  return { contentType: "application/fhir+json", bytes: new TextEncoder().encode(JSON.stringify(resource)) };
}

/** Something a viewer can show from a FHIR file: a resource, or an inline attachment's bytes. */
export type ShlViewable =
  | { kind: "resource"; resourceType: string; resource: Record<string, unknown> }
  | { kind: "attachment"; title: string; mediaType: string; bytes: Uint8Array };

/**
 * What a received FHIR file holds, flattened: each Bundle entry's resource, and each DocumentReference's
 * or Binary's inline data as an attachment (URLs are not followed: a viewer fetches nothing the link did not carry).
 */
export function viewablesOf(resource: unknown): ShlViewable[] {
  if (typeof resource !== "object" || resource === null) return [];
  const r = resource as Record<string, unknown> & { resourceType?: unknown };
  if (typeof r.resourceType !== "string") return [];
  if (r.resourceType === "Bundle" && Array.isArray(r.entry)) return r.entry.flatMap((entry: { resource?: unknown }) => viewablesOf(entry?.resource));
  const out: ShlViewable[] = [{ kind: "resource", resourceType: r.resourceType, resource: r }];
  if (r.resourceType === "Binary" && typeof r.data === "string") {
    out.push({ kind: "attachment", title: "Binary", mediaType: String(r.contentType ?? "application/octet-stream"), bytes: decodeBase64(r.data) });
  }
  if (r.resourceType === "DocumentReference" && Array.isArray(r.content)) {
    for (const content of r.content as { attachment?: { data?: unknown; contentType?: unknown; title?: unknown } }[]) {
      const attachment = content?.attachment;
      if (typeof attachment?.data !== "string") continue;
      const title = typeof attachment.title === "string" ? attachment.title : typeof r.description === "string" ? r.description : "Document";
      out.push({ kind: "attachment", title, mediaType: String(attachment.contentType ?? "application/octet-stream"), bytes: decodeBase64(attachment.data) });
    }
  }
  return out;
}

/** FHIR's base64Binary is standard base64; a lenient reader takes the URL alphabet too. */
const decodeBase64 = (text: string): Uint8Array => fromBase64url(text.replace(/[\s=]/g, "").replaceAll("+", "-").replaceAll("/", "_"));
