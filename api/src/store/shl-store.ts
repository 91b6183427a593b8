// The SMART Health Links store interface (implemented in shl-links.ts), apart so that store.ts names it
// without importing an implementation.
import type { AuditDraft } from "../audit/log.js";

/** A SMART Health Link as the API keeps it: never its key, its manifest secret only hashed. */
export interface ShlLink {
  /** The owner's handle for it (32 hex digits); not the manifest URL's secret. */
  id: string;
  /** SHA-256 (hex) of the manifest URL's secret. */
  manifestHash: string;
  owner: string;
  flag: string;
  /** scrypt hash (see shl/passcode.ts); null without a passcode. */
  passcodeHash: string | null;
  attemptsLeft: number | null;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
}

/** One manifest (or direct file) request to record: `locate` picks the files that get a file URL. */
export interface ShlServe {
  linkId: string;
  recipient: string;
  locate: (files: ShlFile[]) => ShlTicket[];
  audit: AuditDraft;
}

/** A link as its owner's list shows it: with its file count and latest manifest requests. */
export interface ShlLinkEntry {
  link: ShlLink;
  files: number;
  accesses: { at: number; recipient: string }[];
}

/** A file URL's ticket, stored as its SHA-256: which file it fetches, until when. */
export interface ShlTicket {
  hash: string;
  position: number;
  expiresAt: number;
}

/** One file of a link, as the device encrypted it. */
export interface ShlFile {
  position: number;
  contentType: string;
  jwe: string;
  updatedAt: number;
}

export interface ShlStore {
  /** Stores a new link, its files and the audit entry, atomically; "full" (nothing stored) when the owner keeps `maxActive` active links. */
  create(input: { link: ShlLink; files: ShlFile[]; audit: AuditDraft; now: number; maxActive: number }): Promise<"stored" | "full">;
  /** The owner's newest `limit` links, each with its file count and latest manifest requests. */
  list(owner: string, limit: number, accessesPerLink: number): Promise<ShlLinkEntry[]>;
  get(id: string, accessesPerLink: number): Promise<ShlLinkEntry | null>;
  /** Revokes once (its file URLs go too), with the audit entry; false when it already was. */
  revoke(id: string, audit: AuditDraft, now: number): Promise<boolean>;
  byManifest(manifestHash: string): Promise<ShlLink | null>;
  /** Takes one passcode attempt before the passcode is checked: the attempts left after it, or null when none was left. */
  takeAttempt(id: string): Promise<number | null>;
  giveAttempt(id: string): Promise<void>;
  /**
   * Records manifest requests (each one's recipient, file URLs and audit entry) in one transaction, and
   * returns each request's link files, in order: the routes group concurrent requests into one commit.
   */
  serve(requests: readonly ShlServe[], now: number): Promise<ShlFile[][]>;
  /** Uses up a file URL's ticket (single use): what it was for, expired or not; null when unknown or used. */
  takeTicket(ticketHash: string): Promise<{ linkId: string; position: number; expiresAt: number } | null>;
  file(linkId: string, position: number): Promise<ShlFile | null>;
  /** Deletes file URLs past their expiry; returns how many went. */
  sweepTickets(now: number): Promise<number>;
}
