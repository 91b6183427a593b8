import { createHash, randomBytes } from "node:crypto";
import type { ShlCreateBody, ShlLinkView, ShlState } from "@openchart/sdk";
import { apiError } from "../errors.js";
import type { ShlLink } from "../store/store.js";

/** SHA-256 (hex) of a manifest secret or file ticket: what the database keeps instead of the URL. */
export const secretHash = (secret: string): string => createHash("sha256").update(secret, "utf8").digest("hex");

/** 256 random bits in base64url (43 characters): the IG's entropy for a manifest URL, and a file URL's ticket. */
export const newSecret = (): string => randomBytes(32).toString("base64url");

/** The owner's handle for a link (32 hex digits), unrelated to its manifest secret. */
export const newLinkId = (): string => randomBytes(16).toString("hex");

/** The IG's flags, alphabetical. */
export const flagOf = (body: ShlCreateBody): string => `${body.longTerm ? "L" : ""}${body.passcode !== undefined ? "P" : ""}${body.direct ? "U" : ""}`;

export function stateOf(link: ShlLink, now: number): ShlState {
  if (link.revokedAt !== null) return "revoked";
  if (link.expiresAt !== null && link.expiresAt <= now) return "expired";
  if (link.attemptsLeft === 0) return "locked";
  return "active";
}

export function viewOf(link: ShlLink, files: number, accesses: { at: number; recipient: string }[], now: number, url?: string): ShlLinkView {
  return {
    id: link.id,
    ...(url === undefined ? {} : { url }),
    flag: link.flag,
    state: stateOf(link, now),
    createdAt: link.createdAt,
    expiresAt: link.expiresAt,
    revokedAt: link.revokedAt,
    attemptsLeft: link.attemptsLeft,
    files,
    accesses,
  };
}

/**
 * What the IG and the API's own rules ask of a new link, beyond its schema: U only with one file and no
 * passcode; an expiry in the future; each file a compact JWE whose protected header says `alg: dir`,
 * `enc: A256GCM` and `cty` = its content type (zip, if any, DEF). The API can read only that header.
 */
export function checkNewLink(body: ShlCreateBody, now: number): void {
  if (body.direct && (body.passcode !== undefined || body.files.length !== 1)) {
    throw apiError("INVALID_REQUEST", "a U-flag (direct) link carries exactly one file and no passcode");
  }
  if (body.expiresAt !== undefined && body.expiresAt <= now) throw apiError("INVALID_REQUEST", "expiresAt is in the past");
  body.files.forEach((file, index) => {
    let header: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(file.jwe.split(".")[0]!, "base64url").toString("utf8")) as Record<string, unknown>;
    } catch {
      throw apiError("INVALID_REQUEST", `files[${index}].jwe has no readable protected header`);
    }
    if (header.alg !== "dir" || header.enc !== "A256GCM") throw apiError("INVALID_REQUEST", `files[${index}].jwe must be alg dir, enc A256GCM`);
    if (header.cty !== file.contentType) throw apiError("INVALID_REQUEST", `files[${index}].jwe's cty must be its contentType (${file.contentType})`);
    if (header.zip !== undefined && header.zip !== "DEF") throw apiError("INVALID_REQUEST", `files[${index}].jwe's zip must be DEF`);
  });
}
