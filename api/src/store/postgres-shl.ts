import type pg from "pg";
import type { ShlFileDbRow, ShlLinkDbRow, ShlSql } from "./engine.js";

const FILE_COLUMNS = "position, content_type, jwe, updated_at";

/** SMART Health Links' SQL on PostgreSQL (see `shlTables`); part of the PostgreSQL engine. */
export function postgresShlSql(db: pg.Pool | pg.PoolClient): ShlSql {
  const rows = async <R extends pg.QueryResultRow>(text: string, values: unknown[]) => (await db.query<R>(text, values)).rows;
  return {
    async insertLink(r) {
      await db.query(
        "INSERT INTO shl_links (id, manifest_hash, owner, flag, passcode_hash, attempts_left, created_at, expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        [r.id, r.manifest_hash, r.owner, r.flag, r.passcode_hash, r.attempts_left, r.created_at, r.expires_at, r.revoked_at],
      );
    },
    async insertFile(linkId, f) {
      await db.query(`INSERT INTO shl_files (link_id, ${FILE_COLUMNS}) VALUES ($1, $2, $3, $4, $5)`, [linkId, f.position, f.content_type, f.jwe, f.updated_at]);
    },
    activeCount: async (owner, now) =>
      (await rows<{ count: number }>("SELECT count(*)::int AS count FROM shl_links WHERE owner = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)", [owner, now]))[0]!.count,
    byId: async (id) => (await rows<ShlLinkDbRow>("SELECT * FROM shl_links WHERE id = $1", [id]))[0],
    byManifest: async (hash) => (await rows<ShlLinkDbRow>("SELECT * FROM shl_links WHERE manifest_hash = $1", [hash]))[0],
    byOwner: (owner, limit) =>
      rows<ShlLinkDbRow & { files: number }>(
        "SELECT l.*, (SELECT count(*)::int FROM shl_files f WHERE f.link_id = l.id) AS files FROM shl_links l WHERE owner = $1 ORDER BY created_at DESC, id LIMIT $2",
        [owner, limit],
      ),
    async revoke(id, now) {
      const changed = ((await db.query("UPDATE shl_links SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL", [now, id])).rowCount ?? 0) === 1;
      await db.query("DELETE FROM shl_tickets WHERE link_id = $1", [id]);
      return changed;
    },
    // One statement: two replicas taking the last attempt at once cannot both get it (the row lock orders them).
    takeAttempt: async (id) => (await rows<{ attempts_left: number }>("UPDATE shl_links SET attempts_left = attempts_left - 1 WHERE id = $1 AND attempts_left > 0 RETURNING attempts_left", [id]))[0]?.attempts_left ?? null,
    async giveAttempt(id) {
      await db.query("UPDATE shl_links SET attempts_left = attempts_left + 1 WHERE id = $1", [id]);
    },
    files: (linkId) => rows<ShlFileDbRow>(`SELECT ${FILE_COLUMNS} FROM shl_files WHERE link_id = $1 ORDER BY position`, [linkId]),
    file: async (linkId, position) => (await rows<ShlFileDbRow>(`SELECT ${FILE_COLUMNS} FROM shl_files WHERE link_id = $1 AND position = $2`, [linkId, position]))[0],
    async insertAccess(linkId, at, recipient) {
      await db.query("INSERT INTO shl_accesses (link_id, at, recipient) VALUES ($1, $2, $3)", [linkId, at, recipient]);
    },
    accesses: (linkId, limit) => rows<{ at: number; recipient: string }>("SELECT at, recipient FROM shl_accesses WHERE link_id = $1 ORDER BY at DESC, ctid DESC LIMIT $2", [linkId, limit]),
    async insertTicket(hash, linkId, position, expiresAt) {
      await db.query("INSERT INTO shl_tickets (ticket_hash, link_id, position, expires_at) VALUES ($1, $2, $3, $4)", [hash, linkId, position, expiresAt]);
    },
    takeTicket: async (hash) => (await rows<{ link_id: string; position: number; expires_at: number }>("DELETE FROM shl_tickets WHERE ticket_hash = $1 RETURNING link_id, position, expires_at", [hash]))[0],
    deleteTicketsBefore: async (now) => (await db.query("DELETE FROM shl_tickets WHERE expires_at <= $1", [now])).rowCount ?? 0,
  };
}
