// Consent requests: a doctor asks a patient for access (categories or records, a reason, a duration); the
// patient approves (the normal share: keys wrapped, consent on chain) or declines with an optional sentence.
// Both travel as sealed notes of their own kinds (SealedNoteV2: a one-time key, a view tag, a sealed payload
// in IPFS), so a request is as unlinkable as a grant: in public it shows only its author, never its patient.
import { invalidInput, notFound, OpenChartError } from "../errors.js";
import { assertStreamId } from "../streams/compose-store.js";
import type { StoredDocument } from "../streams/models.js";
import { signedInAccount, type VaultContext } from "./context.js";
import { openSealedNote, sealNoteDocument } from "./notes.js";
import { shareRecords, type GrantSummary } from "./sharing.js";
import { openCandidates } from "./stealth-scan.js";
import { checkAccountDid, checkCategory } from "./validate.js";

const REQUEST = "access-request";
const REPLY = "access-reply";
export const MAX_REASON_CHARS = 500;
export const MAX_ACCESS_DAYS = 365;
/** How long a request waits for an answer before it disappears. */
export const REQUEST_TTL_DAYS = 14;
/**
 * Open (unanswered, unexpired) requests one doctor may have with one patient. Delivery is pure Ceramic, so no
 * server counts requests: the doctor's sdk refuses more, and the patient's sdk shows no more than this many
 * per doctor (the newest), so flooding a patient shows them nothing new.
 */
export const MAX_OPEN_REQUESTS_PER_DOCTOR = 3;
const DAY_MS = 86_400_000;

export interface AccessRequestInput {
  patient: string;
  reason: string;
  /** How many days of access the doctor asks for. */
  days: number;
  /** FHIR categories (codes) asked for, or the records asked for, or both. */
  categories?: string[];
  recordIds?: string[];
}

export interface AccessAnswer {
  decision: "approved" | "declined";
  /** The patient's sentence on a decline. */
  message?: string;
  /** The grant an approval made. */
  grantId?: string;
  answeredAt: string;
}

export interface AccessRequest {
  id: string;
  doctor: string;
  patient: string;
  reason: string;
  days: number;
  categories: string[];
  recordIds: string[];
  createdAt: string;
  expiresAt: string;
  answer?: AccessAnswer;
}

interface RequestPayload extends Omit<AccessRequest, "id" | "doctor" | "answer"> {
  v: 1;
  kind: typeof REQUEST;
}

interface ReplyPayload extends Omit<AccessAnswer, "answeredAt"> {
  v: 1;
  kind: typeof REPLY;
  request: string;
  doctor: string;
  answeredAt: string;
}

function checkRequest(input: AccessRequestInput): Omit<RequestPayload, "v" | "kind" | "createdAt" | "expiresAt"> {
  const patient = checkAccountDid(input.patient, "patient");
  const reason = typeof input.reason === "string" ? input.reason.trim() : "";
  if (reason.length === 0 || reason.length > MAX_REASON_CHARS) throw invalidInput(`a request says why, in 1 to ${MAX_REASON_CHARS} characters`);
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > MAX_ACCESS_DAYS) throw invalidInput(`a request asks for 1 to ${MAX_ACCESS_DAYS} days of access, got ${String(input.days)}`);
  const categories = [...new Set(input.categories ?? [])].map((c) => checkCategory(c)!);
  const recordIds = [...new Set(input.recordIds ?? [])];
  recordIds.forEach((id) => assertStreamId(id, "record ID"));
  if (categories.length + recordIds.length === 0) throw invalidInput("a request names the categories or the records it asks for");
  if (categories.length + recordIds.length > 50) throw invalidInput("a request names at most 50 categories and records");
  return { patient, reason, days: input.days, categories, recordIds };
}

const isRequest = (p: Record<string, unknown> | undefined): p is RequestPayload & Record<string, unknown> =>
  p?.kind === REQUEST && p.v === 1 && typeof p.patient === "string" && typeof p.reason === "string" && typeof p.expiresAt === "string" && Number.isInteger(p.days) && Array.isArray(p.categories) && Array.isArray(p.recordIds);
const isReply = (p: Record<string, unknown> | undefined): p is ReplyPayload & Record<string, unknown> =>
  p?.kind === REPLY && p.v === 1 && typeof p.request === "string" && typeof p.doctor === "string" && (p.decision === "approved" || p.decision === "declined");

const requestOf = (document: StoredDocument<"SealedNoteV2">, p: RequestPayload): AccessRequest => ({
  id: document.id,
  doctor: document.owner,
  patient: p.patient,
  reason: p.reason,
  days: p.days,
  categories: p.categories,
  recordIds: p.recordIds,
  createdAt: p.createdAt,
  expiresAt: p.expiresAt,
});

const answerOf = (p: ReplyPayload): AccessAnswer => ({ decision: p.decision, ...(p.message ? { message: p.message } : {}), ...(p.grantId ? { grantId: p.grantId } : {}), answeredAt: p.answeredAt });

/** Payloads of the notes I wrote (as author), and of those sealed to me (found by scanning). */
async function myMessages(context: VaultContext, me: string): Promise<{ mine: [StoredDocument<"SealedNoteV2">, Record<string, unknown>][]; toMe: [StoredDocument<"SealedNoteV2">, Record<string, unknown>][] }> {
  const open = async (document: StoredDocument<"SealedNoteV2"> | null) => {
    const payload = document ? await openSealedNote(context, me, document, false) : undefined;
    return document && payload ? ([document, payload] as [StoredDocument<"SealedNoteV2">, Record<string, unknown>]) : undefined;
  };
  const [mine, toMe] = await Promise.all([
    Promise.all((await context.store.listByOwner("SealedNoteV2", me)).map(open)),
    openCandidates(context, "SealedNoteV2", async (id) => {
      const document = await context.store.get("SealedNoteV2", id);
      return open(document?.owner === me ? null : document);
    }),
  ]);
  const present = <T>(items: (T | undefined)[]): T[] => items.filter((item): item is T => item !== undefined);
  return { mine: present(mine), toMe: present(toMe) };
}

/** A doctor asks a patient for access; the request is sealed to the patient and waits REQUEST_TTL_DAYS for an answer. */
export async function requestAccess(context: VaultContext, input: AccessRequestInput, now = new Date()): Promise<AccessRequest> {
  const me = signedInAccount(context, "requestAccess");
  const checked = checkRequest(input);
  if (checked.patient === me) throw invalidInput("a request asks someone else: the patient is you");
  const open = (await listSentAccessRequests(context)).filter((r) => r.patient === checked.patient && !r.answer);
  if (open.length >= MAX_OPEN_REQUESTS_PER_DOCTOR) {
    throw new OpenChartError("RATE_LIMITED", `you have ${open.length} unanswered requests to this patient: wait for an answer or for one to expire`);
  }
  const payload: RequestPayload = { v: 1, kind: REQUEST, ...checked, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + REQUEST_TTL_DAYS * DAY_MS).toISOString() };
  return requestOf(await sealNoteDocument(context, checked.patient, payload), payload);
}

/** The requests a doctor sent, each with the patient's answer when there is one; unanswered expired ones are left out. */
export async function listSentAccessRequests(context: VaultContext, now = Date.now()): Promise<AccessRequest[]> {
  const me = signedInAccount(context, "listSentAccessRequests");
  const { mine, toMe } = await myMessages(context, me);
  const answers = new Map<string, AccessAnswer>();
  for (const [document, p] of toMe) {
    // An answer counts only from the patient the request went to (checked below) and only about my request.
    if (isReply(p) && p.doctor === me) answers.set(`${p.request} ${document.owner}`, answerOf(p));
  }
  return mine
    .filter(([, p]) => isRequest(p))
    .map(([document, p]) => {
      const request = requestOf(document, p as unknown as RequestPayload);
      const answer = answers.get(`${request.id} ${request.patient}`);
      return answer ? { ...request, answer } : request;
    })
    .filter((r) => r.answer || Date.parse(r.expiresAt) > now)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * The requests sealed to the signed-in patient, each with the answer they gave; unanswered expired ones are
 * left out, and of one doctor's unanswered requests only the newest MAX_OPEN_REQUESTS_PER_DOCTOR are shown.
 */
export async function listAccessRequests(context: VaultContext, now = Date.now()): Promise<AccessRequest[]> {
  const me = signedInAccount(context, "listAccessRequests");
  const { mine, toMe } = await myMessages(context, me);
  const answers = new Map<string, AccessAnswer>();
  for (const [, p] of mine) if (isReply(p)) answers.set(p.request, answerOf(p));
  const requests = toMe
    .filter(([, p]) => isRequest(p) && p.patient === me)
    .map(([document, p]) => {
      const request = requestOf(document, p as unknown as RequestPayload);
      const answer = answers.get(request.id);
      return answer ? { ...request, answer } : request;
    })
    .filter((r) => r.answer || Date.parse(r.expiresAt) > now)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const openPerDoctor = new Map<string, number>();
  return requests.filter((r) => {
    if (r.answer) return true;
    const seen = openPerDoctor.get(r.doctor) ?? 0;
    openPerDoctor.set(r.doctor, seen + 1);
    return seen < MAX_OPEN_REQUESTS_PER_DOCTOR;
  });
}

export type AccessDecision = { approve: true; recordIds: readonly string[] } | { approve: false; message?: string };

/**
 * The patient answers a request: an approval shares `recordIds` with the doctor for the days asked (the
 * normal share; relay its consent opening as after any share) and tells the doctor; a decline tells the
 * doctor, with the patient's sentence if any.
 */
export async function answerAccessRequest(context: VaultContext, requestId: string, decision: AccessDecision, now = new Date()): Promise<{ request: AccessRequest; grant?: GrantSummary }> {
  signedInAccount(context, "answerAccessRequest");
  assertStreamId(requestId, "request ID");
  const request = (await listAccessRequests(context, now.getTime())).find((r) => r.id === requestId);
  if (!request) throw notFound(`no open request ${requestId} for you (it may have expired)`);
  if (request.answer) throw new OpenChartError("INVALID_INPUT", `you already ${request.answer.decision} request ${requestId}`);
  let grant: GrantSummary | undefined;
  let message: string | undefined;
  if (decision.approve) {
    if (decision.recordIds.length === 0) throw invalidInput("an approval shares at least one record");
    grant = await shareRecords(context, decision.recordIds, request.doctor, new Date(now.getTime() + request.days * DAY_MS));
  } else {
    message = decision.message?.trim() || undefined;
    if (message && message.length > MAX_REASON_CHARS) throw invalidInput(`a decline's sentence is at most ${MAX_REASON_CHARS} characters`);
  }
  const reply: ReplyPayload = {
    v: 1,
    kind: REPLY,
    request: request.id,
    doctor: request.doctor,
    decision: decision.approve ? "approved" : "declined",
    ...(message ? { message } : {}),
    ...(grant ? { grantId: grant.id } : {}),
    answeredAt: now.toISOString(),
  };
  await sealNoteDocument(context, request.doctor, reply);
  return { request: { ...request, answer: answerOf(reply) }, ...(grant ? { grant } : {}) };
}
