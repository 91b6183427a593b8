import type Database from "better-sqlite3";
import type { ShlFileDbRow, ShlLinkDbRow, ShlSql } from "./engine.js";

/** SMART Health Links' SQL on SQLite (see `shlTables`); part of the SQLite engine. */
export function sqliteShlSql(db: Database.Database): ShlSql {
  const q = {
    insertLink: db.prepare(
      `INSERT INTO shl_links (id, manifest_hash, owner, flag, passcode_hash, attempts_left, created_at, expires_at, revoked_at)
       VALUES (@id, @manifest_hash, @owner, @flag, @passcode_hash, @attempts_left, @created_at, @expires_at, @revoked_at)`,
    ),
    insertFile: db.prepare("INSERT INTO shl_files (link_id, position, content_type, jwe, updated_at) VALUES (@link_id, @position, @content_type, @jwe, @updated_at)"),
    activeCount: db.prepare<[string, number], { count: number }>(
      "SELECT count(*) AS count FROM shl_links WHERE owner = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)",
    ),
    byId: db.prepare<[string], ShlLinkDbRow>("SELECT * FROM shl_links WHERE id = ?"),
    byManifest: db.prepare<[string], ShlLinkDbRow>("SELECT * FROM shl_links WHERE manifest_hash = ?"),
    byOwner: db.prepare<[string, number], ShlLinkDbRow & { files: number }>(
      "SELECT l.*, (SELECT count(*) FROM shl_files f WHERE f.link_id = l.id) AS files FROM shl_links l WHERE owner = ? ORDER BY created_at DESC, id LIMIT ?",
    ),
    revoke: db.prepare("UPDATE shl_links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"),
    dropTickets: db.prepare("DELETE FROM shl_tickets WHERE link_id = ?"),
    takeAttempt: db.prepare<[string], { attempts_left: number }>("UPDATE shl_links SET attempts_left = attempts_left - 1 WHERE id = ? AND attempts_left > 0 RETURNING attempts_left"),
    giveAttempt: db.prepare("UPDATE shl_links SET attempts_left = attempts_left + 1 WHERE id = ?"),
    files: db.prepare<[string], ShlFileDbRow>("SELECT position, content_type, jwe, updated_at FROM shl_files WHERE link_id = ? ORDER BY position"),
    file: db.prepare<[string, number], ShlFileDbRow>("SELECT position, content_type, jwe, updated_at FROM shl_files WHERE link_id = ? AND position = ?"),
    insertAccess: db.prepare("INSERT INTO shl_accesses (link_id, at, recipient) VALUES (?, ?, ?)"),
    accesses: db.prepare<[string, number], { at: number; recipient: string }>("SELECT at, recipient FROM shl_accesses WHERE link_id = ? ORDER BY at DESC, rowid DESC LIMIT ?"),
    insertTicket: db.prepare("INSERT INTO shl_tickets (ticket_hash, link_id, position, expires_at) VALUES (?, ?, ?, ?)"),
    takeTicket: db.prepare<[string], { link_id: string; position: number; expires_at: number }>("DELETE FROM shl_tickets WHERE ticket_hash = ? RETURNING link_id, position, expires_at"),
    sweepTickets: db.prepare("DELETE FROM shl_tickets WHERE expires_at <= ?"),
  };
  return {
    async insertLink(row) {
      q.insertLink.run(row);
    },
    async insertFile(linkId, file) {
      q.insertFile.run({ link_id: linkId, ...file });
    },
    activeCount: async (owner, now) => q.activeCount.get(owner, now)!.count,
    byId: async (id) => q.byId.get(id),
    byManifest: async (hash) => q.byManifest.get(hash),
    byOwner: async (owner, limit) => q.byOwner.all(owner, limit),
    async revoke(id, now) {
      const changed = q.revoke.run(now, id).changes === 1;
      q.dropTickets.run(id);
      return changed;
    },
    takeAttempt: async (id) => q.takeAttempt.get(id)?.attempts_left ?? null,
    async giveAttempt(id) {
      q.giveAttempt.run(id);
    },
    files: async (linkId) => q.files.all(linkId),
    file: async (linkId, position) => q.file.get(linkId, position),
    async insertAccess(linkId, at, recipient) {
      q.insertAccess.run(linkId, at, recipient);
    },
    accesses: async (linkId, limit) => q.accesses.all(linkId, limit),
    async insertTicket(hash, linkId, position, expiresAt) {
      q.insertTicket.run(hash, linkId, position, expiresAt);
    },
    takeTicket: async (hash) => q.takeTicket.get(hash),
    deleteTicketsBefore: async (now) => q.sweepTickets.run(now).changes,
  };
}
