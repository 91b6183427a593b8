// The reason for a visit, sealed on the patient's device to the doctor's published X25519 key (the same
// stealth sealing as grants, crypto/stealth.ts): the API stores and relays the ciphertext only. The patient
// reopens it as its author. Padded to one block, so its length says nothing of what the patient wrote.
import { MAX_VISIT_REASON_CHARS, SEALED_REASON_MAX_CHARS } from "../api/appointments.js";
import { openAsAuthor, openAsRecipient, sealToRecipient, type StealthSealed } from "../crypto/stealth.js";
import { OpenChartError, invalidInput } from "../errors.js";
import { padded, unpadded } from "./sealed-payload.js";

/** Every reason up to MAX_VISIT_REASON_CHARS (4 UTF-8 bytes each at most) pads to this one length. */
const REASON_BLOCK_BYTES = 2_048;

interface ReasonPayload {
  v: 1;
  reason: string;
}

/** Seals `reason` to the doctor's key (`doctorKeyDid`, from their EncryptionProfile); the patient keeps the author's copy. */
export async function sealVisitReason(reason: string, doctorKeyDid: string, patientSecret: Uint8Array): Promise<string> {
  const text = reason.trim();
  if (text.length === 0 || text.length > MAX_VISIT_REASON_CHARS) throw invalidInput(`a visit reason has 1 to ${MAX_VISIT_REASON_CHARS} characters, got ${text.length}`);
  const payload: ReasonPayload = { v: 1, reason: text };
  const { ephemeralKey, viewTag, sealed } = await sealToRecipient(padded(payload, REASON_BLOCK_BYTES), doctorKeyDid, patientSecret);
  // Written in this key order: the API checks the shape (SEALED_REASON_PATTERN) so that no plaintext is stored.
  const out = JSON.stringify({ ephemeralKey, viewTag, sealed });
  if (out.length > SEALED_REASON_MAX_CHARS) throw invalidInput("the sealed reason is longer than the API keeps");
  return out;
}

/**
 * Opens a sealed reason with the doctor's key (as recipient) or the patient's (as author). WRONG_KEY when
 * neither this key's holder received nor wrote it.
 */
export async function openVisitReason(sealedReason: string, secret: Uint8Array): Promise<string> {
  let doc: StealthSealed;
  try {
    doc = JSON.parse(sealedReason) as StealthSealed;
  } catch {
    throw new OpenChartError("UNSUPPORTED_FORMAT", "a sealed visit reason is JSON");
  }
  const payload = (await openAsRecipient<ReasonPayload>(doc, secret)) ?? (await openAsAuthor<ReasonPayload>(doc, secret));
  const { reason } = unpadded<ReasonPayload>(payload, "a visit reason");
  if (typeof reason !== "string") throw new OpenChartError("UNSUPPORTED_FORMAT", "a visit reason opened to no text");
  return reason;
}
