import type { ChatEntry } from "@openchart/sdk";
import type { ChatDbRow, Engine } from "./engine.js";
import { GroupCommit } from "./group-commit.js";
import type { ChatStore } from "./store.js";

type SealedChat = ChatEntry["message"];

/**
 * Chat messages are group-committed (group-commit.ts): one transaction and one disk sync for the messages
 * that arrive while the previous one commits (SQLite syncs every commit, on the thread that also relays the
 * calls' negotiation). Each message still gets its own row and answer; a retry is still one row (the UNIQUE
 * constraint decides, within a batch too).
 */
export function chatStore(engine: Engine): ChatStore {
  const commits = new GroupCommit((rows: Omit<ChatDbRow, "seq">[]) =>
    engine.transaction(
      async (sql) => {
        const stored = [];
        for (const row of rows) stored.push(await sql.chat.insertOnce(row));
        return stored.map(({ row, created }) => ({ entry: toEntry(row), created }));
      },
      // Rows of one room and party serialize on the UNIQUE index itself: no global lock needed.
      { serial: false },
    ),
  );
  return {
    post: (room, from, clientId, message, now) => commits.add({ room, sender: from, client_id: clientId, sealed: JSON.stringify(message), created_at: now }),
    after: (room, afterSeq, limit) => engine.autocommit(async (sql) => (await sql.chat.after(room, afterSeq, limit)).map(toEntry)),
  };
}

function toEntry(row: ChatDbRow): ChatEntry {
  return { seq: row.seq, from: row.sender, clientId: row.client_id, message: JSON.parse(row.sealed) as SealedChat, at: row.created_at };
}
