// The patient's access-log mailbox: an opaque ID under which the API keeps what doctors' apps report
// opening, derived from the patient's X25519 secret so that no one else can read it, and no public value
// ties it to the patient. The read token is a hash of the secret; the mailbox is the hash of the token:
// grantees learn the mailbox (inside their sealed grant) to write to it, only the patient can compute the
// token that reads it, and the API stores and compares hashes only.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { MAILBOX_PATTERN, mailboxOfToken } from "../api/access-log.js";

const TOKEN_LABEL = utf8ToBytes("OpenChart access log v1");
const MAILBOX = new RegExp(MAILBOX_PATTERN);

export const isMailboxId = (value: unknown): value is string => typeof value === "string" && MAILBOX.test(value);

/** The patient's read token and the mailbox it opens. */
export function accessLogMailbox(patientSecret: Uint8Array): { token: string; mailbox: string } {
  const token = bytesToHex(sha256(concatBytes(TOKEN_LABEL, patientSecret)));
  return { token, mailbox: mailboxOfToken(token) };
}
