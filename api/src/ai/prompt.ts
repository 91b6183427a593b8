import { apiError } from "../errors.js";
import type { ChatMessage } from "./upstream.js";

/**
 * The system message every conversation starts with. The API sets it and the caller cannot replace
 * it: a caller-supplied system message is refused, so no client can talk the model out of it.
 */
export const MEDICAL_DISCLAIMER =
  "You are the health information assistant of OpenChart, an app in which patients keep their own medical records. " +
  "You are not a doctor: you do not diagnose, prescribe or replace a clinician's advice, and you say so when it matters. " +
  "Give general, evidence-based explanations in plain words, say when a question needs a doctor, and tell the user to " +
  "call their local emergency number at once for signs of an emergency (chest pain, trouble breathing, signs of a stroke, " +
  "severe bleeding, thoughts of self-harm). Identifiers in this conversation were replaced by placeholders such as " +
  "[NAME_1], [CITY_1] or [EMAIL_1]: use the placeholders as they are and never guess who or what they stand for. Dates " +
  "appear as [DATE:YYYY-MM-DD], all moved by one unknown offset: intervals between them are true, the dates themselves are " +
  "not; write dates you refer to in the same form. [AGE:90+] is an age of 90 or more.";

export interface CallerMessage {
  role: string;
  content: string;
}

/** Only user and assistant turns, ending with the user's question; anything else is refused with where and why. */
export function checkConversation(messages: readonly CallerMessage[]): asserts messages is readonly (CallerMessage & { role: "user" | "assistant" })[] {
  messages.forEach((message, index) => {
    if (message.role === "system") {
      throw apiError(
        "INVALID_REQUEST",
        `messages[${index}] has role "system": the API sets the system message itself (a medical disclaimer) and refuses others; send only "user" and "assistant" messages`,
      );
    }
    if (message.role !== "user" && message.role !== "assistant") {
      throw apiError("INVALID_REQUEST", `messages[${index}].role must be "user" or "assistant", got "${message.role.slice(0, 32)}"`);
    }
  });
  if (messages.at(-1)?.role !== "user") throw apiError("INVALID_REQUEST", "the last message must be the user's (role \"user\")");
}

/** What is sent upstream: the disclaimer first, then the caller's (already redacted) turns. */
export function withDisclaimer(messages: readonly (CallerMessage & { role: "user" | "assistant" })[]): ChatMessage[] {
  return [{ role: "system", content: MEDICAL_DISCLAIMER }, ...messages.map(({ role, content }) => ({ role, content }))];
}
