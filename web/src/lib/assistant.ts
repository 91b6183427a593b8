// The AI assistant page's rules: whether the API has a model, what of a record may be asked about, and the
// preview of exactly what leaves the device (the de-identified messages askAssistant will send, from the
// same per-conversation de-identifier). Pure, so they are unit-tested.
import type { AiStatus, AssistantMessage } from "@openchart/sdk";
import type { Deidentifier } from "@openchart/sdk/deidentify";
import type { ApiClient } from "./api";

/** The most characters of a record put into a question (the API takes 4,000 per message by default). */
export const RECORD_EXCERPT_CHARS = 3_000;

export const aiStatus = (api: Pick<ApiClient, "get">): Promise<AiStatus> => api.get<AiStatus>("/ai/status");

const TEXT_TYPES = /^(text\/|application\/(json|fhir\+json|xml|csv)\b)/;

/** A record's text for a question, decrypted on this device; null for kinds that are not text (images, PDFs). */
export function recordText(mediaType: string, bytes: Uint8Array): { text: string; cut: boolean } | null {
  if (!TEXT_TYPES.test(mediaType)) return null;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes).trim();
  return text.length > RECORD_EXCERPT_CHARS ? { text: text.slice(0, RECORD_EXCERPT_CHARS), cut: true } : { text, cut: false };
}

/** The user's message: the question, with the record's text when the patient asks about one. */
export function questionWith(question: string, record?: { title: string; text: string }): string {
  const asked = question.trim();
  return record ? `About my record "${record.title}":\n${record.text}\n\nMy question: ${asked}` : asked;
}

/** Exactly what askAssistant sends for `messages` with this conversation's de-identifier. */
export function leavingTheDevice(deidentifier: Deidentifier, messages: readonly AssistantMessage[]): AssistantMessage[] {
  return deidentifier.deidentifyMessages(messages).messages.map(({ role, content }) => ({ role, content }));
}
