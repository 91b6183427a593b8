// Consult chat, end to end: each message is stealth-sealed (crypto/stealth.ts) to the other party's published
// X25519 key, with a part the sender reopens with their own key, so both read the history and the API,
// which stores and relays it, reads neither text nor who wrote it beyond "patient" or "doctor".
import { CHAT_CLIENT_ID_PATTERN, CHAT_TEXT_MAX_CHARS, type CallParty, type ChatEntry } from "../api/consult-call.js";
import { OpenChartError, invalidInput } from "../errors.js";
import { openAsAuthor, openAsRecipient, sealToRecipient, type StealthSealed } from "../crypto/stealth.js";

/** What a sealed chat message holds. `clientId` is inside too: the API cannot move a message under another ID. */
interface ChatPayload {
  v: 1;
  text: string;
  clientId: string;
  sentAt: number;
}

export interface ChatMessage {
  seq: number;
  from: CallParty;
  mine: boolean;
  text: string;
  /** The sender's clock when written. */
  sentAt: number;
  /** The API's clock when stored. */
  storedAt: number;
  clientId: string;
}

const clientIdPattern = new RegExp(CHAT_CLIENT_ID_PATTERN);

/** A fresh client ID for one message (128 random bits, base64url); a retry reuses it. */
export function newChatClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Seals `text` to the other party's did:key; the author keeps a way back in with `mySecret`. */
export async function sealChatText(text: string, clientId: string, peerKeyDid: string, mySecret: Uint8Array, sentAt = Date.now()): Promise<StealthSealed> {
  if (typeof text !== "string" || text.trim() === "") throw invalidInput("a chat message needs some text");
  if (text.length > CHAT_TEXT_MAX_CHARS) throw invalidInput(`a chat message holds at most ${CHAT_TEXT_MAX_CHARS} characters, this one ${text.length}`);
  if (!clientIdPattern.test(clientId)) throw invalidInput(`a chat client ID matches ${CHAT_CLIENT_ID_PATTERN}`);
  const payload: ChatPayload = { v: 1, text, clientId, sentAt };
  return sealToRecipient(payload, peerKeyDid, mySecret);
}

/**
 * Opens a stored entry as party `me`: mine with the author part, the other's as its recipient. TAMPERED
 * when it does not open or its inside names another client ID than the API filed it under.
 */
export async function openChatEntry(entry: ChatEntry, me: CallParty, mySecret: Uint8Array): Promise<ChatMessage> {
  const mine = entry.from === me;
  const payload = mine ? await openAsAuthor<ChatPayload>(entry.message, mySecret) : await openAsRecipient<ChatPayload>(entry.message, mySecret);
  if (payload === null) throw new OpenChartError("TAMPERED", "this chat message was not sealed to this key");
  if (payload?.v !== 1 || typeof payload.text !== "string" || typeof payload.sentAt !== "number" || payload.clientId !== entry.clientId) {
    throw new OpenChartError("TAMPERED", "this chat message's content does not match the entry it came in");
  }
  return { seq: entry.seq, from: entry.from, mine, text: payload.text, sentAt: payload.sentAt, storedAt: entry.at, clientId: entry.clientId };
}
