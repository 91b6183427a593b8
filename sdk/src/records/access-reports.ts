// What a doctor's app reports when it opens a shared record, sealed to the patient (stealth sealing, as
// grants are), and how the patient's app reads its mailbox back. The API keeps the sealed report under
// the patient's opaque mailbox beside the DID of the session that sent it; the report itself names the
// record, its title and the reporter again, so the patient's app keeps only reports whose sealed reporter
// matches the session the API verified.
import type { AccessLogEntry, SealedReport } from "../api/access-log.js";
import { openAsRecipient, sealToRecipient } from "../crypto/index.js";
import { OpenChartError } from "../errors.js";
import { signedInAccount, type VaultContext } from "./context.js";
import { padded, unpadded } from "./sealed-payload.js";
import { accessLogMailbox, isMailboxId } from "./access-log.js";
import { encryptionKeyDidOf } from "./sharing.js";

/** Every report pads to this, so its ciphertext's length says nothing about the title. */
const REPORT_BLOCK_BYTES = 1024;

interface ReportPayload {
  v: 1;
  kind: "opened";
  by: string;
  recordId: string;
  title: string;
  keyVersion: number;
  at: string;
}

/** One record open, as the patient reads it. */
export interface AccessEvent {
  seq: number;
  /** When the API took the report (milliseconds since the epoch). */
  at: number;
  /** The reporting doctor's DID, as the API verified their session. */
  by: string;
  recordId: string;
  title: string;
  keyVersion: number;
}

/** Whom to report to: the grant's patient and mailbox. */
export interface ReportTarget {
  patient: string;
  mailbox?: string;
}

/** Seals the report of opening `record` to the patient; send it as `{ mailbox, report }` to `POST /access-log/reports`. */
export async function sealAccessReport(
  context: VaultContext,
  target: ReportTarget,
  record: { id: string; title: string; keyVersion: number },
): Promise<{ mailbox: string; report: SealedReport }> {
  const me = signedInAccount(context, "sealAccessReport");
  if (!isMailboxId(target.mailbox)) {
    throw new OpenChartError("UNSUPPORTED_FORMAT", `this share from ${target.patient} names no access-log mailbox: ask the patient to share again`);
  }
  const payload: ReportPayload = { v: 1, kind: "opened", by: me, recordId: record.id, title: record.title, keyVersion: record.keyVersion, at: new Date().toISOString() };
  const patientKey = await encryptionKeyDidOf(context, target.patient);
  const report = await sealToRecipient(padded(payload, REPORT_BLOCK_BYTES), patientKey, context.encryptionKey.secretKey);
  return { mailbox: target.mailbox, report: { ephemeralKey: report.ephemeralKey, viewTag: report.viewTag, sealed: report.sealed } };
}

/** The signed-in patient's read token for their access log (`POST /access-log/read`). */
export function accessLogToken(context: VaultContext): string {
  signedInAccount(context, "accessLogToken");
  return accessLogMailbox(context.encryptionKey.secretKey).token;
}

/**
 * Opens the entries of the patient's mailbox. An entry that does not open with this key, is not a
 * report, or whose sealed reporter is not the session that sent it (someone who learnt the mailbox and
 * wrote in another's name) is left out.
 */
export async function openAccessLog(context: VaultContext, entries: readonly AccessLogEntry[]): Promise<AccessEvent[]> {
  signedInAccount(context, "openAccessLog");
  const opened = await Promise.all(
    entries.map(async (entry): Promise<AccessEvent | undefined> => {
      const value = await openAsRecipient<unknown>(entry.report, context.encryptionKey.secretKey).catch(() => null);
      if (value === null) return undefined;
      const p = unpadded<ReportPayload>(value, `access report ${entry.seq}`) as Partial<ReportPayload>;
      if (p.v !== 1 || p.kind !== "opened" || typeof p.recordId !== "string" || typeof p.title !== "string" || !Number.isInteger(p.keyVersion)) return undefined;
      if (typeof p.by !== "string" || p.by.toLowerCase() !== entry.by.toLowerCase()) return undefined;
      return { seq: entry.seq, at: entry.at, by: entry.by, recordId: p.recordId, title: p.title, keyVersion: p.keyVersion! };
    }),
  );
  return opened.filter((e): e is AccessEvent => e !== undefined).sort((a, b) => b.at - a.at);
}
