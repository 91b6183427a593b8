import { decryptToBytes, encryptBytes, newContentKey, openKeyEnvelope, wrapKey, type KeyEnvelope } from "../crypto/index.js";
import { OpenChartError, invalidInput } from "../errors.js";
import { signedInAccount, type VaultContext } from "./context.js";
import { encryptionKeyDidOf } from "./sharing.js";
import { checkAccountDid } from "./validate.js";
import { assertStreamId } from "../streams/compose-store.js";
import type { StoredDocument } from "../streams/models.js";

/** The note body is stored inline (base64 ciphertext + envelope) within ComposeDB's 60,000-character field. */
export const MAX_NOTE_BYTES = 32 * 1024;
const KINDS = new Set(["note", "prescription"]);

export interface WriteNoteInput {
  /** The patient the note is about (their account DID); they must have published an encryption key. */
  patient: string;
  text: string;
  kind?: "note" | "prescription";
  /** The record the note is about, if any. */
  recordId?: string;
}

export interface ClinicalNoteSummary {
  id: string;
  author: string;
  patient: string;
  kind: string;
  recordId?: string;
  createdAt: string;
}

interface SealedBody {
  envelope: KeyEnvelope;
  ciphertext: string;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function summaryOf(document: StoredDocument<"ClinicalNote">): ClinicalNoteSummary {
  const c = document.content;
  return {
    id: document.id,
    author: document.owner,
    patient: c.patient,
    kind: c.kind,
    ...(c.recordId ? { recordId: c.recordId } : {}),
    createdAt: c.createdAt,
  };
}

/** Writes a note (or prescription) about a patient, encrypted so that only the patient and its author can read it. */
export async function writeNote(context: VaultContext, input: WriteNoteInput): Promise<ClinicalNoteSummary> {
  signedInAccount(context, "writeNote");
  const patient = checkAccountDid(input.patient, "patient");
  const kind = input.kind ?? "note";
  if (!KINDS.has(kind)) throw invalidInput(`a note's kind is "note" or "prescription", got "${String(kind)}"`);
  const text = new TextEncoder().encode(input.text);
  if (text.length === 0) throw invalidInput("a note needs some text");
  if (text.length > MAX_NOTE_BYTES) throw invalidInput(`a note holds at most ${MAX_NOTE_BYTES} bytes of text, got ${text.length}`);
  if (input.recordId !== undefined) assertStreamId(input.recordId, "record ID");
  const patientKey = await encryptionKeyDidOf(context, patient);
  const contentKey = newContentKey();
  const { ciphertext } = await encryptBytes(text, contentKey);
  const envelope = await wrapKey(contentKey, [patientKey, context.encryptionKey.did]);
  const body: SealedBody = { envelope, ciphertext: toBase64(ciphertext) };
  const note = await context.store.create("ClinicalNote", {
    patient,
    kind,
    body: JSON.stringify(body),
    ...(input.recordId ? { recordId: input.recordId } : {}),
    createdAt: new Date().toISOString(),
  });
  return summaryOf(note);
}

/** Notes about the signed-in patient (by any author), or written by the signed-in author about `patient`. */
export async function listNotes(context: VaultContext, patient?: string): Promise<ClinicalNoteSummary[]> {
  const me = signedInAccount(context, "listNotes");
  const about = patient === undefined ? me : checkAccountDid(patient, "patient");
  const notes = await context.store.findBy("ClinicalNote", "patient", about);
  return notes
    .filter((n) => about === me || n.owner === me)
    .map(summaryOf)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Decrypts a note for its patient or its author. */
export async function readNote(context: VaultContext, noteId: string): Promise<{ note: ClinicalNoteSummary; text: string }> {
  signedInAccount(context, "readNote");
  assertStreamId(noteId, "note ID");
  const document = await context.store.get("ClinicalNote", noteId);
  if (!document) throw new OpenChartError("NOT_FOUND", `no clinical note with ID ${noteId}`);
  let body: SealedBody;
  try {
    body = JSON.parse(document.content.body) as SealedBody;
  } catch {
    throw new OpenChartError("UNSUPPORTED_FORMAT", `the body of note ${noteId} is not JSON`);
  }
  const { contentKey } = await openKeyEnvelope(body.envelope, context.encryptionKey.secretKey);
  const text = new TextDecoder().decode(await decryptToBytes(fromBase64(body.ciphertext), contentKey));
  return { note: summaryOf(document), text };
}
