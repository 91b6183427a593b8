import type { ChatEntry } from "@openchart/sdk";
import type { ChatDbRow, Engine } from "./engine.js";
import type { ChatStore } from "./store.js";

export type SealedChat = ChatEntry["message"];

export function chatStore(engine: Engine): ChatStore {
  return {
    post: (room, from, clientId, message, now) =>
      engine.autocommit(async (sql) => {
        const { row, created } = await sql.chat.insertOnce({ room, sender: from, client_id: clientId, sealed: JSON.stringify(message), created_at: now });
        return { entry: toEntry(row), created };
      }),
    after: (room, afterSeq, limit) => engine.autocommit(async (sql) => (await sql.chat.after(room, afterSeq, limit)).map(toEntry)),
  };
}

function toEntry(row: ChatDbRow): ChatEntry {
  return { seq: row.seq, from: row.sender, clientId: row.client_id, message: JSON.parse(row.sealed) as SealedChat, at: row.created_at };
}
