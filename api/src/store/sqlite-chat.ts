import type Database from "better-sqlite3";
import type { ChatDbRow, ChatSql } from "./engine.js";

/** The consult chat's SQL on SQLite (see `chatTables`); part of the SQLite engine. */
export function sqliteChatSql(db: Database.Database): ChatSql {
  const q = {
    // DO NOTHING + RETURNING gives no row on a conflict: the stored one is read after, in the same statement turn.
    insert: db.prepare<[Omit<ChatDbRow, "seq">], ChatDbRow>(
      `INSERT INTO consult_messages (room, sender, client_id, sealed, created_at) VALUES (@room, @sender, @client_id, @sealed, @created_at)
       ON CONFLICT (room, sender, client_id) DO NOTHING RETURNING *`,
    ),
    get: db.prepare<[string, string, string], ChatDbRow>("SELECT * FROM consult_messages WHERE room = ? AND sender = ? AND client_id = ?"),
    after: db.prepare<[string, number, number], ChatDbRow>(
      "SELECT * FROM (SELECT * FROM consult_messages WHERE room = ? AND seq > ? ORDER BY seq DESC LIMIT ?) ORDER BY seq",
    ),
  };
  return {
    async insertOnce(row) {
      const created = q.insert.get(row);
      if (created) return { row: created, created: true };
      return { row: q.get.get(row.room, row.sender, row.client_id)!, created: false };
    },
    after: async (room, afterSeq, limit) => q.after.all(room, afterSeq, limit),
  };
}
