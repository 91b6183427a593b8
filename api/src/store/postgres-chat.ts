import type pg from "pg";
import type { ChatDbRow, ChatSql } from "./engine.js";

/** The consult chat's SQL on PostgreSQL (see `chatTables`); part of the PostgreSQL engine. */
export function postgresChatSql(db: pg.Pool | pg.PoolClient): ChatSql {
  return {
    async insertOnce(r) {
      const inserted = await db.query<ChatDbRow>(
        `INSERT INTO consult_messages (room, sender, client_id, sealed, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (room, sender, client_id) DO NOTHING RETURNING *`,
        [r.room, r.sender, r.client_id, r.sealed, r.created_at],
      );
      if (inserted.rows[0]) return { row: inserted.rows[0], created: true };
      // The conflicting row is committed (the constraint saw it), so this read finds it.
      const stored = await db.query<ChatDbRow>("SELECT * FROM consult_messages WHERE room = $1 AND sender = $2 AND client_id = $3", [r.room, r.sender, r.client_id]);
      return { row: stored.rows[0]!, created: false };
    },
    after: async (room, afterSeq, limit) =>
      (
        await db.query<ChatDbRow>("SELECT * FROM (SELECT * FROM consult_messages WHERE room = $1 AND seq > $2 ORDER BY seq DESC LIMIT $3) AS newest ORDER BY seq", [
          room,
          afterSeq,
          limit,
        ])
      ).rows,
  };
}
