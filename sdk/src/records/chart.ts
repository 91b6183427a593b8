// The patient's whole chart as the vault holds it (records with their opened headers, grants, notes), and
// the FHIR Bundle export and import built on it. Everything is opened on the device; nothing leaves it.
import type { Bundle, MedicationRequest } from "@medplum/fhirtypes";
import { completeReceipt } from "../anchor-client.js";
import { consentIdOfOpening } from "../consent.js";
import { chartBundle, type ChartGrant, type ChartRecord } from "../fhir/chart-bundle.js";
import { planImport, type ImportPlan } from "../fhir/import-plan.js";
import type { ProgressFn } from "../progress.js";
import { signedInAccount, type VaultContext } from "./context.js";
import { readNote, listNotes, type ClinicalNoteSummary } from "./notes.js";
import { prescriptionInNote } from "../prescriptions/credential.js";
import { addRecord, listLoadedRecords, readLoadedRecord, type AddedRecord, type LoadedRecord } from "./records.js";
import { listMyGrants, type GrantSummary } from "./sharing.js";

/** Records up to this size go inline in an exported Bundle by default; larger ones by content-addressed URL. */
export const DEFAULT_INLINE_BYTES = 1024 * 1024;

/** Prescriptions as FHIR MedicationRequests: the seam the e-prescription module fills. */
export type PrescriptionSource = () => Promise<readonly MedicationRequest[]>;

export interface Chart {
  account: string;
  /** Newest first, headers opened. */
  records: LoadedRecord[];
  grants: GrantSummary[];
  notes: { note: ClinicalNoteSummary; text: string }[];
  prescriptions: readonly MedicationRequest[];
}

/**
 * Reads the signed-in patient's chart: every record header, grant and note (record bytes stay in IPFS until read).
 * A record or grant this key cannot open is left out, as the patient's lists leave it out: the export holds what opens.
 */
export async function readChart(context: VaultContext, prescriptions?: PrescriptionSource): Promise<Chart> {
  const account = signedInAccount(context, "readChart");
  const [records, grants, summaries, medicationRequests] = await Promise.all([
    listLoadedRecords(context),
    listMyGrants(context),
    listNotes(context),
    prescriptions ? prescriptions() : [],
  ]);
  const notes = await Promise.all(summaries.map((note) => readNote(context, note.id)));
  // Without a source of its own, the chart lists the e-prescriptions sealed to the patient (notes of kind
  // prescription whose text is the credential): their MedicationRequests.
  const sealed = notes.flatMap(({ note, text }) => {
    const credential = note.kind === "prescription" ? prescriptionInNote(text) : null;
    return credential ? [credential.credentialSubject.medicationRequest] : [];
  });
  return { account, records, grants, notes, prescriptions: prescriptions ? medicationRequests : sealed };
}

/** A record as the Bundle describes it; its receipt completed from the header (hash and salt) once anchored. */
export function chartRecordOf({ record, header }: LoadedRecord, where: { data?: Uint8Array; url?: string } = {}): ChartRecord {
  const anchored = record.receipt?.status === "anchored" ? record.receipt.anchored : undefined;
  return {
    id: record.id,
    title: record.title,
    mediaType: record.mediaType,
    ...(record.category ? { category: record.category } : {}),
    createdAt: record.createdAt,
    size: record.size,
    sha256: header.sha256,
    ...where,
    ...(anchored ? { receipt: completeReceipt(anchored, header.sha256, header.salt) } : {}),
  };
}

export function chartGrantOf(grant: GrantSummary): ChartGrant {
  return { ...grant, ...(grant.opening ? { consentId: consentIdOfOpening(grant.opening) } : {}) };
}

export interface FhirExportOptions {
  /** Records up to this many bytes are decrypted and put inline; default DEFAULT_INLINE_BYTES, 0 for none. */
  inlineUpTo?: number;
  prescriptions?: PrescriptionSource;
}

/** The chart as a FHIR R4 Bundle (see `chartBundle`). */
export async function exportFhirBundle(context: VaultContext, options: FhirExportOptions = {}): Promise<Bundle> {
  const chart = await readChart(context, options.prescriptions);
  const inlineUpTo = options.inlineUpTo ?? DEFAULT_INLINE_BYTES;
  const records = await Promise.all(
    chart.records.map(async (loaded) =>
      chartRecordOf(loaded, loaded.record.size <= inlineUpTo ? { data: (await readLoadedRecord(context, loaded)).bytes } : {}),
    ),
  );
  return chartBundle({ patient: chart.account, records, grants: chart.grants.map(chartGrantOf), prescriptions: chart.prescriptions });
}

export interface ImportResult extends Pick<ImportPlan, "skipped"> {
  records: (AddedRecord & { source: string })[];
}

/**
 * Imports a FHIR Bundle: each DocumentReference (with its attachment or the Binary it names), each Binary
 * and each clinical resource becomes an encrypted record under its category. The whole bundle is checked
 * first: a malformed one is refused (FhirImportError names the resource and the path) before any record is written.
 */
export async function importFhirBundle(context: VaultContext, bundle: unknown, options: { onProgress?: ProgressFn } = {}): Promise<ImportResult> {
  signedInAccount(context, "importFhirBundle");
  const plan = planImport(bundle);
  const records: ImportResult["records"] = [];
  for (const item of plan.items) {
    const added = await addRecord(context, {
      content: item.bytes,
      title: item.title,
      mediaType: item.mediaType,
      ...(item.category ? { category: item.category } : {}),
    });
    records.push({ ...added, source: item.source });
    options.onProgress?.(records.length, plan.items.length);
  }
  return { records, skipped: plan.skipped };
}
