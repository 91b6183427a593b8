// Reads a FHIR R4 Bundle into the records it becomes, checking all of it before anything is written: a
// malformed bundle is refused whole, with the entry, the resource and the path of the first fault.
import { sha1 } from "@noble/hashes/legacy.js";
import { bytesToBase64, base64ToBytes } from "../auth/base64url.js";
import { OpenChartError } from "../errors.js";
import { LOINC_SYSTEM, type RecordCategoryCode } from "../records/categories.js";
import { checkCategory, checkMediaType, MAX_TITLE_LENGTH } from "../records/validate.js";

/** One record the bundle becomes. */
export interface ImportItem {
  /** Where it came from, for the patient: `Bundle.entry[3] (Observation/f001)`. */
  source: string;
  title: string;
  mediaType: string;
  category?: string;
  bytes: Uint8Array;
}

export interface ImportPlan {
  items: ImportItem[];
  /** Resources that become no record (the Patient, practitioners, bundle machinery), and why. */
  skipped: { source: string; reason: string }[];
}

/** The largest bundle entry count taken in one import. */
export const MAX_IMPORT_ENTRIES = 10_000;

/** A refusal that names the resource and the path of the fault. */
export class FhirImportError extends OpenChartError {
  constructor(
    readonly resource: string,
    readonly path: string,
    reason: string,
  ) {
    super("INVALID_INPUT", `FHIR Bundle refused, nothing imported: ${resource} at ${path}: ${reason}`);
  }
}

/** Resources that hold clinical content: each becomes a record of its JSON, under the category it belongs to. */
const CLINICAL: Record<string, RecordCategoryCode | undefined> = {
  Observation: "11502-2",
  DiagnosticReport: "11502-2",
  Specimen: "11502-2",
  ImagingStudy: "18748-4",
  MedicationRequest: "57833-6",
  MedicationStatement: "57833-6",
  MedicationDispense: "57833-6",
  MedicationAdministration: "57833-6",
  Immunization: "11369-6",
  ImmunizationRecommendation: "11369-6",
  Composition: "34133-9",
  Condition: "34133-9",
  AllergyIntolerance: "34133-9",
  Procedure: "34133-9",
  Encounter: "34133-9",
  CarePlan: "34133-9",
  FamilyMemberHistory: "34133-9",
  ServiceRequest: "11488-4",
  ClinicalImpression: "11488-4",
  QuestionnaireResponse: undefined,
};

const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const RADIOLOGY = new Set(["RAD", "RX", "CT", "MR", "US", "NMR", "VUS"]);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A CodeableConcept's words: its text, else its first coding's display or code. */
function conceptText(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.text === "string" && value.text.trim()) return value.text.trim();
  const codings = Array.isArray(value.coding) ? value.coding.filter(isObject) : [];
  const coding = codings.find((c) => typeof c.display === "string") ?? codings[0];
  return typeof coding?.display === "string" ? coding.display : typeof coding?.code === "string" ? coding.code : undefined;
}

function loincCode(concepts: unknown): string | undefined {
  for (const concept of Array.isArray(concepts) ? concepts : [concepts]) {
    if (!isObject(concept) || !Array.isArray(concept.coding)) continue;
    for (const coding of concept.coding) {
      if (isObject(coding) && coding.system === LOINC_SYSTEM && typeof coding.code === "string") return coding.code;
    }
  }
  return undefined;
}

function titled(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_TITLE_LENGTH ? `${oneLine.slice(0, MAX_TITLE_LENGTH - 1)}…` : oneLine;
}

const JSON_MEDIA_TYPE = "application/fhir+json";

/** Reads one bundle entry's resource, with the helpers that name its faults. */
class EntryReader {
  readonly name: string;
  constructor(
    readonly resource: Json,
    readonly path: string,
  ) {
    const id = typeof resource.id === "string" ? `/${resource.id}` : "";
    this.name = `${String(resource.resourceType)}${id}`;
  }

  fail(path: string, reason: string): never {
    throw new FhirImportError(this.name, `${this.path}.${path}`, reason);
  }

  /** Decodes an Attachment's or Binary's data and checks it against the size and SHA-1 hash it declares. */
  data(holder: Json, path: string): Uint8Array | undefined {
    const at = (field: string): string => (path ? `${path}.${field}` : field);
    if (holder.data === undefined) return undefined;
    if (typeof holder.data !== "string") this.fail(at("data"), "is not a base64 string");
    const bytes = base64ToBytes(holder.data);
    if (!bytes) this.fail(at("data"), "is not valid base64");
    if (holder.size !== undefined && holder.size !== bytes.length) {
      this.fail(at("size"), `says ${String(holder.size)} bytes, the data holds ${bytes.length}`);
    }
    if (holder.hash !== undefined && holder.hash !== bytesToBase64(sha1(bytes))) {
      this.fail(at("hash"), "does not match the SHA-1 of the data (altered in transit?)");
    }
    return bytes;
  }

  mediaType(value: unknown, path: string): string {
    if (typeof value !== "string") this.fail(path, "is missing (a media type such as application/pdf)");
    try {
      return checkMediaType(value);
    } catch {
      return this.fail(path, `"${value}" is not a media type`);
    }
  }

  /** The resource's own JSON, as the record's bytes. */
  asJson(): Uint8Array {
    return new TextEncoder().encode(JSON.stringify(this.resource, null, 2));
  }
}

interface IndexedEntry {
  reader: EntryReader;
  source: string;
}

/** The Binary a DocumentReference attachment's URL names inside the bundle (by full URL or relative `Binary/id`). */
function bundledBinary(url: string, entries: ReadonlyMap<string, IndexedEntry>): IndexedEntry | undefined {
  const found = entries.get(url) ?? [...entries.values()].find((e) => e.reader.resource.resourceType === "Binary" && url.endsWith(`Binary/${String(e.reader.resource.id)}`));
  return found?.reader.resource.resourceType === "Binary" ? found : undefined;
}

function documentItem(entry: IndexedEntry, entries: ReadonlyMap<string, IndexedEntry>, used: Set<IndexedEntry>): ImportItem {
  const { reader, source } = entry;
  const r = reader.resource;
  const content: unknown = Array.isArray(r.content) ? r.content[0] : undefined;
  if (content === undefined) reader.fail("content", "a DocumentReference needs at least one content attachment");
  const attachment = isObject(content) && isObject(content.attachment) ? content.attachment : reader.fail("content[0].attachment", "is missing");
  const title = titled(
    (typeof r.description === "string" && r.description) || (typeof attachment.title === "string" && attachment.title) || conceptText(r.type) || `Document ${reader.name}`,
  );
  const category = loincCode(r.category) ?? loincCode(r.type);
  const categoryOk = category && safeCategory(category);
  const inline = reader.data(attachment, "content[0].attachment");
  if (attachment.url !== undefined && typeof attachment.url !== "string") reader.fail("content[0].attachment.url", "is not a string");
  const binary = inline === undefined && typeof attachment.url === "string" ? bundledBinary(attachment.url, entries) : undefined;
  if (binary) used.add(binary);
  const bytes = inline ?? (binary ? binary.reader.data(binary.reader.resource, "") : undefined);
  if (bytes === undefined) {
    // Content held elsewhere (a URL outside the bundle): the reference itself is what the patient keeps.
    return { source, title, mediaType: JSON_MEDIA_TYPE, ...(categoryOk ? { category } : {}), bytes: reader.asJson() };
  }
  const declared = attachment.contentType ?? binary?.reader.resource.contentType;
  return { source, title, mediaType: reader.mediaType(declared, "content[0].attachment.contentType"), ...(categoryOk ? { category } : {}), bytes };
}

function safeCategory(code: string): boolean {
  try {
    return checkCategory(code) !== undefined;
  } catch {
    return false;
  }
}

function clinicalItem({ reader, source }: IndexedEntry, type: string): ImportItem {
  const r = reader.resource;
  let category = CLINICAL[type];
  if (type === "DiagnosticReport" && Array.isArray(r.category)) {
    const codes = r.category.flatMap((c) => (isObject(c) && Array.isArray(c.coding) ? c.coding.map((d) => (isObject(d) ? d.code : undefined)) : []));
    if (codes.some((c) => typeof c === "string" && RADIOLOGY.has(c))) category = "18748-4";
  }
  const about = conceptText(r.code) ?? conceptText(r.medicationCodeableConcept) ?? conceptText(r.vaccineCode) ?? conceptText(r.type) ?? (typeof r.title === "string" ? r.title : undefined);
  return { source, title: titled(about ? `${type}: ${about}` : reader.name), mediaType: JSON_MEDIA_TYPE, ...(category ? { category } : {}), bytes: reader.asJson() };
}

/** Checks every entry, then lists the records the bundle becomes. Throws FhirImportError at the first fault. */
export function planImport(bundle: unknown): ImportPlan {
  if (!isObject(bundle)) throw new FhirImportError("Bundle", "Bundle", "is not a JSON object");
  if (bundle.resourceType !== "Bundle") throw new FhirImportError("Bundle", "Bundle.resourceType", `is ${JSON.stringify(bundle.resourceType)}, not "Bundle"`);
  if (!Array.isArray(bundle.entry)) throw new FhirImportError("Bundle", "Bundle.entry", "is missing or not an array");
  if (bundle.entry.length > MAX_IMPORT_ENTRIES) {
    throw new FhirImportError("Bundle", "Bundle.entry", `holds ${bundle.entry.length} entries, at most ${MAX_IMPORT_ENTRIES} are imported at once`);
  }
  const indexed = new Map<string, IndexedEntry>();
  const all: IndexedEntry[] = [];
  bundle.entry.forEach((value: unknown, i: number) => {
    const path = `Bundle.entry[${i}]`;
    if (!isObject(value)) throw new FhirImportError("Bundle", path, "is not an object");
    if (value.resource === undefined) {
      all.push({ reader: new EntryReader({ resourceType: "(none)" }, `${path}.resource`), source: path });
      return;
    }
    if (!isObject(value.resource)) throw new FhirImportError("Bundle", `${path}.resource`, "is not an object");
    const resource = value.resource;
    if (typeof resource.resourceType !== "string" || !RESOURCE_TYPE.test(resource.resourceType)) {
      throw new FhirImportError("Bundle", `${path}.resource.resourceType`, `is ${JSON.stringify(resource.resourceType)}, not a FHIR resource type`);
    }
    const reader = new EntryReader(resource, `${path}.resource`);
    if (resource.id !== undefined && (typeof resource.id !== "string" || !FHIR_ID.test(resource.id))) reader.fail("id", `${JSON.stringify(resource.id)} is not a FHIR id`);
    const entry: IndexedEntry = { reader, source: `${path} (${reader.name})` };
    if (value.fullUrl !== undefined) {
      if (typeof value.fullUrl !== "string") throw new FhirImportError(reader.name, `${path}.fullUrl`, "is not a string");
      if (indexed.has(value.fullUrl)) throw new FhirImportError(reader.name, `${path}.fullUrl`, `${value.fullUrl} is also the full URL of ${indexed.get(value.fullUrl)!.source}`);
      indexed.set(value.fullUrl, entry);
    }
    all.push(entry);
  });

  const used = new Set<IndexedEntry>();
  const items: ImportItem[] = [];
  const skipped: ImportPlan["skipped"] = [];
  for (const entry of all) {
    const type = entry.reader.resource.resourceType as string;
    if (type === "DocumentReference") items.push(documentItem(entry, indexed, used));
    else if (type in CLINICAL) items.push(clinicalItem(entry, type));
    else if (type === "Binary") {
      // Checked now (a DocumentReference may come later and name it); kept unless a document took it.
      const r = entry.reader.resource;
      const bytes = entry.reader.data(r, "");
      if (bytes === undefined) entry.reader.fail("data", "a Binary without data holds nothing to import");
      entry.reader.mediaType(r.contentType, "contentType");
    } else skipped.push({ source: entry.source, reason: type === "(none)" ? "an entry with no resource (a request or a response)" : `a ${type} holds no clinical content of its own` });
  }
  for (const entry of all) {
    if (entry.reader.resource.resourceType !== "Binary" || used.has(entry)) continue;
    const r = entry.reader.resource;
    items.push({ source: entry.source, title: titled(`File ${entry.reader.name}`), mediaType: entry.reader.mediaType(r.contentType, "contentType"), bytes: entry.reader.data(r, "")! });
  }
  if (items.length === 0) throw new FhirImportError("Bundle", "Bundle.entry", "holds no DocumentReference, Binary or clinical resource to import");
  return { items, skipped };
}
