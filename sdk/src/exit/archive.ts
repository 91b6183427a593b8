// The patient's exit: everything they own in one ZIP that opens offline. Streamed end to end: each record is
// decrypted, checked against its commitment and written into the ZIP as the reader pulls, so a chart of any
// size passes through a few chunks of memory (client-zip: streamed, ZIP64 past 4 GB, runs in browsers and Node).
import { bytesToHex } from "@noble/hashes/utils.js";
import { makeZip } from "client-zip";
import { exportConsentProof } from "../consent.js";
import { chartBundle } from "../fhir/chart-bundle.js";
import type { ProgressFn } from "../progress.js";
import type { Receipt } from "../receipt.js";
import { chartGrantOf, chartRecordOf, readChart, type PrescriptionSource } from "../records/chart.js";
import type { VaultContext } from "../records/context.js";
import { openLoadedRecord } from "../records/records.js";
import { exitIndexHtml, type IndexConsent, type IndexNote, type IndexRecord } from "./index-html.js";

export interface ExitArchiveOptions {
  /**
   * Put the account's encryption key in the archive (`keys/encryption-key.json`): whoever holds the archive
   * can then open every record the patient owns, now and later. Off unless the patient asked, after a warning.
   */
  includeKeyMaterial?: boolean;
  /** Plaintext bytes of records written so far, of the total. */
  onProgress?: ProgressFn;
  prescriptions?: PrescriptionSource;
}

type ZipEntry = { name: string; input: string | Uint8Array | AsyncIterable<Uint8Array>; lastModified?: Date; size?: number };

const EXTENSIONS: Record<string, string> = {
  "application/pdf": ".pdf",
  "application/json": ".json",
  "application/fhir+json": ".fhir.json",
  "application/xml": ".xml",
  "application/dicom": ".dcm",
  "text/plain": ".txt",
  "text/csv": ".csv",
  "text/html": ".html",
  "image/png": ".png",
  "image/jpeg": ".jpg",
  "image/gif": ".gif",
  "image/webp": ".webp",
};

/** A file name from the patient's title: letters, digits and a few marks, numbered so two equal titles never collide. */
function fileName(n: number, title: string, mediaType: string): string {
  const slug = title.normalize("NFKD").replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "record";
  return `${String(n).padStart(4, "0")}-${slug}${EXTENSIONS[mediaType] ?? ".bin"}`;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** The archive's files, in order, produced as the ZIP writer asks for them. */
async function* exitFiles(context: VaultContext, options: ExitArchiveOptions): AsyncGenerator<ZipEntry> {
  const generatedAt = new Date();
  const chart = await readChart(context, options.prescriptions);
  const total = chart.records.reduce((sum, { record }) => sum + record.size, 0);
  let done = 0;
  options.onProgress?.(0, total);

  const indexRecords: IndexRecord[] = [];
  const bundleRecords = [];
  for (const [i, loaded] of chart.records.entries()) {
    const { record } = loaded;
    const file = `records/${fileName(i + 1, record.title, record.mediaType)}`;
    const opened = await openLoadedRecord(context, loaded);
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of opened.content) {
        done += chunk.byteLength;
        options.onProgress?.(done, total);
        yield chunk;
      }
    }
    yield { name: file, input: counted(), lastModified: new Date(record.createdAt), size: record.size };
    const described = chartRecordOf(loaded, { url: file });
    bundleRecords.push(described);
    const receipt = described.receipt as Receipt | undefined;
    const receiptFile = receipt ? `receipts/${fileName(i + 1, record.title, "application/json").replace(/\.json$/, ".receipt.json")}` : undefined;
    if (receiptFile) yield { name: receiptFile, input: json(receipt) };
    indexRecords.push({
      title: record.title,
      mediaType: record.mediaType,
      ...(record.category ? { category: record.category } : {}),
      size: record.size,
      createdAt: record.createdAt,
      sha256: described.sha256,
      file,
      ...(receiptFile ? { receiptFile, receipt } : {}),
    });
  }

  const notes: IndexNote[] = [];
  for (const [i, { note, text }] of chart.notes.entries()) {
    const file = `notes/${String(i + 1).padStart(4, "0")}-${note.kind}.txt`;
    const heading = `${note.kind} by ${note.author}, ${note.createdAt}${note.recordId ? `, about record ${note.recordId}` : ""}\n\n`;
    yield { name: file, input: heading + text, lastModified: new Date(note.createdAt) };
    notes.push({ kind: note.kind, author: note.author, createdAt: note.createdAt, file, text });
  }

  const consents: IndexConsent[] = [];
  const grants = chart.grants.map(chartGrantOf);
  for (const [i, grant] of grants.entries()) {
    const proofFile = grant.opening ? `consents/${String(i + 1).padStart(4, "0")}-consent-proof.json` : undefined;
    if (proofFile) yield { name: proofFile, input: json(exportConsentProof(grant.opening!)) };
    const state = grant.revoked ? "revoked" : Date.parse(grant.expiresAt) > generatedAt.getTime() ? "active" : "expired";
    consents.push({ grantee: grant.grantee, createdAt: grant.createdAt, expiresAt: grant.expiresAt, state, ...(grant.consentId ? { consentId: grant.consentId } : {}), ...(proofFile ? { proofFile } : {}) });
  }

  const bundleFile = "chart.fhir.json";
  yield { name: bundleFile, input: json(chartBundle({ patient: chart.account, records: bundleRecords, grants, prescriptions: chart.prescriptions, generatedAt })) };
  let keyFile: string | undefined;
  if (options.includeKeyMaterial) {
    keyFile = "keys/encryption-key.json";
    const { did, secretKey } = context.encryptionKey;
    yield { name: keyFile, input: json({ warning: "This key opens every record this account owns. Keep it offline.", account: chart.account, keyDid: did, x25519SecretKey: bytesToHex(secretKey) }) };
  }
  yield {
    name: "index.html",
    input: exitIndexHtml({ account: chart.account, generatedAt: generatedAt.toISOString(), records: indexRecords, notes, consents, bundleFile, ...(keyFile ? { keyFile } : {}) }),
  };
}

/** The exit archive as a byte stream: pipe it to a file (Node) or a file handle (browser); nothing is held whole. */
export function exitArchive(context: VaultContext, options: ExitArchiveOptions = {}): ReadableStream<Uint8Array> {
  return makeZip(exitFiles(context, options), { buffersAreUTF8: true });
}
