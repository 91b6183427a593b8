// The consult chat store interface (implemented in chat.ts), apart so that store.ts names it without
// importing an implementation.
import type { CallParty, ChatEntry } from "@openchart/sdk";

/** Consult chat messages: ciphertext only, filed by the consult's room and the sending party. */
export interface ChatStore {
  /** Stores a message once per (room, sender, client ID): a retry returns the stored entry, `created` false. */
  post(room: string, from: CallParty, clientId: string, message: ChatEntry["message"], now: number): Promise<{ entry: ChatEntry; created: boolean }>;
  /** The room's messages after `afterSeq`, oldest first, at most `limit` (the newest ones when more). */
  after(room: string, afterSeq: number, limit: number): Promise<ChatEntry[]>;
}
