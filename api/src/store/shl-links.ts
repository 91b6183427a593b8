import { appendSealed } from "./audit.js";
import type { Engine, ShlFileDbRow, ShlLinkDbRow } from "./engine.js";
import type { ShlFile, ShlLink, ShlStore } from "./store.js";

export function shlStore(engine: Engine): ShlStore {
  return {
    create: ({ link, files, audit, now, maxActive }) =>
      engine.transaction(async (sql) => {
        if ((await sql.shl.activeCount(link.owner, now)) >= maxActive) return "full";
        await sql.shl.insertLink(toDbRow(link));
        for (const file of files) await sql.shl.insertFile(link.id, toFileRow(file));
        await appendSealed(sql, [audit], now);
        return "stored";
      }),
    list: (owner, limit, accessesPerLink) =>
      engine.autocommit(async (sql) =>
        Promise.all(
          (await sql.shl.byOwner(owner, limit)).map(async (row) => ({ link: toLink(row), files: row.files, accesses: await sql.shl.accesses(row.id, accessesPerLink) })),
        ),
      ),
    get: (id, accessesPerLink) =>
      engine.autocommit(async (sql) => {
        const row = await sql.shl.byId(id);
        return row ? { link: toLink(row), files: (await sql.shl.files(id)).length, accesses: await sql.shl.accesses(id, accessesPerLink) } : null;
      }),
    revoke: (id, audit, now) =>
      engine.transaction(async (sql) => {
        if (!(await sql.shl.revoke(id, now))) return false;
        await appendSealed(sql, [audit], now);
        return true;
      }),
    byManifest: (manifestHash) =>
      engine.autocommit(async (sql) => {
        const row = await sql.shl.byManifest(manifestHash);
        return row ? toLink(row) : null;
      }),
    takeAttempt: (id) => engine.autocommit((sql) => sql.shl.takeAttempt(id)),
    giveAttempt: (id) => engine.autocommit((sql) => sql.shl.giveAttempt(id)),
    serve: (requests, now) =>
      engine.transaction(async (sql) => {
        const served: ShlFile[][] = [];
        for (const { linkId, recipient, locate } of requests) {
          const files = (await sql.shl.files(linkId)).map(toFile);
          await sql.shl.insertAccess(linkId, now, recipient);
          for (const ticket of locate(files)) await sql.shl.insertTicket(ticket.hash, linkId, ticket.position, ticket.expiresAt);
          served.push(files);
        }
        await appendSealed(
          sql,
          requests.map((request) => request.audit),
          now,
        );
        return served;
      }),
    takeTicket: (ticketHash) =>
      engine.autocommit(async (sql) => {
        const row = await sql.shl.takeTicket(ticketHash);
        return row ? { linkId: row.link_id, position: row.position, expiresAt: row.expires_at } : null;
      }),
    file: (linkId, position) =>
      engine.autocommit(async (sql) => {
        const row = await sql.shl.file(linkId, position);
        return row ? toFile(row) : null;
      }),
    sweepTickets: (now) => engine.autocommit((sql) => sql.shl.deleteTicketsBefore(now)),
  };
}

const toLink = (row: ShlLinkDbRow): ShlLink => ({
  id: row.id,
  manifestHash: row.manifest_hash,
  owner: row.owner,
  flag: row.flag,
  passcodeHash: row.passcode_hash,
  attemptsLeft: row.attempts_left,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

const toDbRow = (link: ShlLink): ShlLinkDbRow => ({
  id: link.id,
  manifest_hash: link.manifestHash,
  owner: link.owner,
  flag: link.flag,
  passcode_hash: link.passcodeHash,
  attempts_left: link.attemptsLeft,
  created_at: link.createdAt,
  expires_at: link.expiresAt,
  revoked_at: link.revokedAt,
});

const toFile = (row: ShlFileDbRow): ShlFile => ({ position: row.position, contentType: row.content_type, jwe: row.jwe, updatedAt: row.updated_at });
const toFileRow = (file: ShlFile): ShlFileDbRow => ({ position: file.position, content_type: file.contentType, jwe: file.jwe, updated_at: file.updatedAt });
