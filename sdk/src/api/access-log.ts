// The access log's wire contract (`POST /access-log/reports`, `POST /access-log/read`): a doctor's app
// reports each record it opens, sealed to the patient, into the patient's mailbox; the patient reads
// the mailbox back. A mailbox is opaque: the SHA-256 of a read token only the patient's key derives
// (sdk/src/records/access-log.ts), so the API never learns whose log it keeps, and only the patient,
// who holds the token, reads it. See docs/privacy.md, "The access log".
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { Type, type Static } from "typebox";
import { Did } from "./did.js";

export const MAILBOX_PATTERN = "^[0-9a-f]{64}$";
/** The largest sealed report accepted: a report pads to 1 KiB before sealing, so every one seals to one length. */
export const MAX_ACCESS_REPORT_CHARS = 4096;

export const MailboxId = Type.String({ pattern: MAILBOX_PATTERN, description: "an opaque mailbox: SHA-256 of its read token, 64 hex digits" });
export const MailboxToken = Type.String({ pattern: MAILBOX_PATTERN, description: "the mailbox's read token (only its patient derives it)" });

/** A report sealed to the patient (sdk/src/crypto/stealth.ts): one-time key, view tag, ciphertext. */
export const SealedReportSchema = Type.Object(
  {
    ephemeralKey: Type.String({ pattern: "^[A-Za-z0-9_-]{43}$" }),
    viewTag: Type.String({ pattern: "^[0-9a-f]{2}$" }),
    sealed: Type.String({ minLength: 1, maxLength: MAX_ACCESS_REPORT_CHARS }),
  },
  { additionalProperties: false },
);
export type SealedReport = Static<typeof SealedReportSchema>;

export const AccessReportBodySchema = Type.Object({ mailbox: MailboxId, report: SealedReportSchema }, { additionalProperties: false });
export type AccessReportBody = Static<typeof AccessReportBodySchema>;

export const AccessLogReadBodySchema = Type.Object(
  {
    token: MailboxToken,
    after: Type.Optional(Type.Integer({ minimum: 0, description: "only entries with seq above this" })),
  },
  { additionalProperties: false },
);
export type AccessLogReadBody = Static<typeof AccessLogReadBodySchema>;

export const AccessLogEntrySchema = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  /** When the API took the report (milliseconds since the epoch). */
  at: Type.Integer(),
  /** Who reported it: the DID of the signed-in session that sent it, as the API verified it. */
  by: Did,
  report: SealedReportSchema,
});
export type AccessLogEntry = Static<typeof AccessLogEntrySchema>;

export const AccessLogSchema = Type.Object({ entries: Type.Array(AccessLogEntrySchema) });
export type AccessLog = Static<typeof AccessLogSchema>;

/** The mailbox a read token opens: the one place its hash is defined (the patient's app and the API both use it). */
export function mailboxOfToken(token: string): string {
  return bytesToHex(sha256(hexToBytes(token)));
}
