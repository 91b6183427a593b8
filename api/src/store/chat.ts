import type { ChatEntry } from "@openchart/sdk";
import type { ChatDbRow, Engine } from "./engine.js";
import type { ChatStore } from "./store.js";

type SealedChat = ChatEntry["message"];

interface Waiting {
  row: Omit<ChatDbRow, "seq">;
  resolve(result: { entry: ChatEntry; created: boolean }): void;
  reject(error: unknown): void;
}

/**
 * Chat messages are group-committed: the messages that arrive while one transaction commits go together in
 * the next, one disk sync for all of them (SQLite here syncs every commit, on the thread that relays the
 * calls' negotiation). Each message still gets its own row and answer; a retry is still one row (the
 * UNIQUE constraint decides, within a batch too).
 */
export function chatStore(engine: Engine): ChatStore {
  let queue: Waiting[] = [];
  let flushing = false;
  const flush = async () => {
    flushing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const rows = await engine.transaction(
          async (sql) => {
            const stored = [];
            for (const waiting of batch) stored.push(await sql.chat.insertOnce(waiting.row));
            return stored;
          },
          // Rows of one room and party serialize on the UNIQUE index itself: no global lock needed.
          { serial: false },
        );
        batch.forEach((waiting, i) => waiting.resolve({ entry: toEntry(rows[i]!.row), created: rows[i]!.created }));
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    flushing = false;
  };
  return {
    post: (room, from, clientId, message, now) =>
      new Promise((resolve, reject) => {
        queue.push({ row: { room, sender: from, client_id: clientId, sealed: JSON.stringify(message), created_at: now }, resolve, reject });
        if (!flushing) void flush();
      }),
    after: (room, afterSeq, limit) => engine.autocommit(async (sql) => (await sql.chat.after(room, afterSeq, limit)).map(toEntry)),
  };
}

function toEntry(row: ChatDbRow): ChatEntry {
  return { seq: row.seq, from: row.sender, clientId: row.client_id, message: JSON.parse(row.sealed) as SealedChat, at: row.created_at };
}
