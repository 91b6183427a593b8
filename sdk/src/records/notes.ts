import { openAsAuthor, openAsRecipient, sealToRecipient } from "../crypto/index.js";
import { OpenChartError, invalidInput, notFound } from "../errors.js";
import { assertStreamId } from "../streams/compose-store.js";
import type { StoredDocument } from "../streams/models.js";
import { signedInAccount, type VaultContext } from "./context.js";
import { padded, unpadded } from "./sealed-payload.js";
import { encryptionKeyDidOf } from "./sharing.js";
import { ownPayload, publishStealth, withPayload } from "./stealth-payload.js";
import { openCandidates } from "./stealth-scan.js";
import { checkAccountDid } from "./validate.js";

/** A note's text travels inside its sealed payload, within MAX_NOTE_PAYLOAD_BYTES once sealed. */
export const MAX_NOTE_BYTES = 32 * 1024;
/** The largest sealed note written or read. */
const MAX_NOTE_PAYLOAD_BYTES = 60_000;
/** Notes seal to multiples of this, so their length says little about what a clinician wrote. */
const NOTE_BLOCK_BYTES = 4096;
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

/** What a SealedNote holds, readable by its patient and its author only. */
interface NotePayload {
  v: 1;
  patient: string;
  kind: string;
  text: string;
  recordId?: string;
  createdAt: string;
}

function parseNotePayload(value: unknown, where: string): NotePayload {
  const p = unpadded<NotePayload>(value, where) as Partial<NotePayload>;
  if (p.v !== 1 || typeof p.patient !== "string" || typeof p.kind !== "string" || typeof p.text !== "string" || typeof p.createdAt !== "string") {
    throw new OpenChartError("UNSUPPORTED_FORMAT", `${where} is not a version-1 note`);
  }
  return p as NotePayload;
}

function summaryOf(document: StoredDocument<"SealedNoteV2">, p: NotePayload): ClinicalNoteSummary {
  return {
    id: document.id,
    author: document.owner,
    patient: p.patient,
    kind: p.kind,
    ...(p.recordId ? { recordId: p.recordId } : {}),
    createdAt: p.createdAt,
  };
}

/**
 * Writes a note (or prescription) about a patient, sealed so that only the patient and its author can read
 * it; in public it shows only its author (the stream's controller), never whom it is about or its kind.
 */
export async function writeNote(context: VaultContext, input: WriteNoteInput): Promise<ClinicalNoteSummary> {
  signedInAccount(context, "writeNote");
  const patient = checkAccountDid(input.patient, "patient");
  const kind = input.kind ?? "note";
  if (!KINDS.has(kind)) throw invalidInput(`a note's kind is "note" or "prescription", got "${String(kind)}"`);
  const bytes = new TextEncoder().encode(input.text);
  if (bytes.length === 0) throw invalidInput("a note needs some text");
  if (bytes.length > MAX_NOTE_BYTES) throw invalidInput(`a note holds at most ${MAX_NOTE_BYTES} bytes of text, got ${bytes.length}`);
  if (input.recordId !== undefined) assertStreamId(input.recordId, "record ID");
  const payload: NotePayload = {
    v: 1,
    patient,
    kind,
    text: input.text,
    ...(input.recordId ? { recordId: input.recordId } : {}),
    createdAt: new Date().toISOString(),
  };
  return summaryOf(await sealNoteDocument(context, patient, payload), payload);
}

/**
 * Seals any message (a note, an access request or its answer) to `recipient` as a SealedNoteV2: in public
 * it shows only its author, never its recipient or its kind, and it is found by the same scan as notes.
 */
export async function sealNoteDocument(context: VaultContext, recipient: string, payload: { kind: string }): Promise<StoredDocument<"SealedNoteV2">> {
  const recipientKey = await encryptionKeyDidOf(context, recipient);
  const sealed = await sealToRecipient(padded(payload, NOTE_BLOCK_BYTES), recipientKey, context.encryptionKey.secretKey);
  return context.store.create("SealedNoteV2", await publishStealth(context, sealed, MAX_NOTE_PAYLOAD_BYTES));
}

/**
 * The opened payload of a SealedNoteV2 (unpadded JSON), as its author or its recipient; `undefined` when it is
 * neither's. A payload missing from IPFS is NOT_FOUND when it was asked for (`required`), else it is passed
 * over: while scanning, anyone can publish a note whose view tag matches mine and whose payload is nowhere.
 */
export async function openSealedNote(context: VaultContext, me: string, document: StoredDocument<"SealedNoteV2">, required: boolean): Promise<Record<string, unknown> | undefined> {
  const secret = context.encryptionKey.secretKey;
  const sealed =
    document.owner === me || required
      ? await ownPayload(context, document, MAX_NOTE_PAYLOAD_BYTES, `note ${document.id}`)
      : await withPayload(context, document, MAX_NOTE_PAYLOAD_BYTES);
  if (!sealed) return undefined;
  const opened = document.owner === me ? await openAsAuthor<unknown>(sealed, secret) : await openAsRecipient<unknown>(sealed, secret);
  return opened === null ? undefined : unpadded<Record<string, unknown>>(opened, `note ${document.id}`);
}

/** Opens a clinical note (kind note or prescription) as its author or its patient; `undefined` for anything else. */
async function openNote(context: VaultContext, me: string, document: StoredDocument<"SealedNoteV2">, required: boolean): Promise<NotePayload | undefined> {
  const opened = await openSealedNote(context, me, document, required);
  // Other messages travel as sealed notes too (access requests and their answers): not clinical notes.
  if (!opened || !KINDS.has(String(opened.kind))) return undefined;
  const payload = parseNotePayload(opened, `note ${document.id}`);
  return document.owner === me || payload.patient === me ? payload : undefined;
}

/** Notes about the signed-in patient (by any author), or written by the signed-in author about `patient`; newest first. */
export async function listNotes(context: VaultContext, patient?: string): Promise<ClinicalNoteSummary[]> {
  const me = signedInAccount(context, "listNotes");
  const about = patient === undefined ? me : checkAccountDid(patient, "patient");
  const summary = async (document: StoredDocument<"SealedNoteV2"> | null): Promise<ClinicalNoteSummary | undefined> => {
    const payload = document ? await openNote(context, me, document, false) : undefined;
    return document && payload && payload.patient === about ? summaryOf(document, payload) : undefined;
  };
  const notes =
    about === me
      ? await openCandidates(context, "SealedNoteV2", async (id) => {
          const document = await context.store.get("SealedNoteV2", id);
          // My own notes are listed by author, not found by scanning.
          return summary(document?.owner === me ? null : document);
        })
      : await Promise.all((await context.store.listByOwner("SealedNoteV2", me)).map(summary));
  return notes.filter((n): n is ClinicalNoteSummary => n !== undefined).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Decrypts a note for its patient or its author. */
export async function readNote(context: VaultContext, noteId: string): Promise<{ note: ClinicalNoteSummary; text: string }> {
  const me = signedInAccount(context, "readNote");
  assertStreamId(noteId, "note ID");
  const document = await context.store.get("SealedNoteV2", noteId);
  if (!document) throw notFound(`no clinical note with ID ${noteId}`);
  const payload = await openNote(context, me, document, true);
  if (!payload) throw new OpenChartError("NOT_AUTHORIZED", `note ${noteId} was not written by you or sealed to you`);
  return { note: summaryOf(document, payload), text: payload.text };
}
