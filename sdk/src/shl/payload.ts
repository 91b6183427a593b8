import { SHL_LABEL_MAX_CHARS, SHL_URL_MAX_CHARS } from "../api/shl.js";
import { OpenChartError } from "../errors.js";
import { fromBase64url, toBase64url } from "./base64url.js";

/** The SMART Health Link payload (HL7 IG STU1, "Construct a SMART Health Link Payload"). */
export interface ShlPayload {
  /** The manifest URL (U flag: the single file's URL). */
  url: string;
  /** 32 random bytes in base64url (43 characters): decrypts the link's files. Only the link holds it. */
  key: string;
  /** Expiry in epoch seconds: a hint; the server decides. */
  exp?: number;
  /** Single-character flags in alphabetical order: L long-term, P passcode, U direct file. */
  flag?: string;
  label?: string;
  v?: number;
}

export const SHLINK_PREFIX = "shlink:/";
const KEY = /^[A-Za-z0-9_-]{43}$/;
/** The only protocol version this sdk speaks; a newer `v` is refused before any request (the IG's advice). */
const VERSION = 1;

const invalid = (message: string) => new OpenChartError("LINK_INVALID", message);

/** The flags a payload carries, as a set (unknown ones kept: the IG says to ignore them, not to refuse). */
export const flagsOf = (payload: Pick<ShlPayload, "flag">): Set<string> => new Set(payload.flag ?? "");

/** `shlink:/` and the minified payload in base64url; refuses a payload the IG would not allow a sharer to make. */
export function encodeShlink(payload: ShlPayload): string {
  checkPayload(payload);
  if (payload.url.length > SHL_URL_MAX_CHARS) throw invalid(`the manifest URL has ${payload.url.length} characters; the IG allows ${SHL_URL_MAX_CHARS}`);
  if (payload.flag && payload.flag !== [...payload.flag].sort().join("")) throw invalid(`flags must be in alphabetical order, got "${payload.flag}"`);
  if (payload.flag?.includes("P") && payload.flag.includes("U")) throw invalid("the U flag may not be combined with P");
  return SHLINK_PREFIX + toBase64url(new TextEncoder().encode(JSON.stringify(payload)));
}

/** A viewer link: the viewer's URL, `#`, the shlink. The fragment never reaches the viewer's server. */
export const viewerLinkOf = (viewerUrl: string, shlink: string): string => `${viewerUrl.split("#")[0]}#${shlink}`;

/**
 * Reads a SMART Health Link: a bare `shlink:/...`, or any viewer link ending in `#shlink:/...`.
 * Unknown properties and flags are ignored, as the IG asks of receivers; a newer protocol version is refused.
 */
export function parseShlink(text: string): ShlPayload {
  const trimmed = text.trim();
  const at = trimmed.indexOf(SHLINK_PREFIX);
  if (at < 0) throw invalid("no shlink:/ in this text");
  if (at > 0 && trimmed[at - 1] !== "#") throw invalid("a viewer link must put the shlink right after '#'");
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(fromBase64url(trimmed.slice(at + SHLINK_PREFIX.length))));
  } catch {
    throw invalid("the shlink's payload is not base64url-encoded JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw invalid("the shlink's payload is not a JSON object");
  const raw = json as Record<string, unknown>;
  const payload: ShlPayload = { url: raw.url as string, key: raw.key as string };
  for (const name of ["exp", "flag", "label", "v"] as const) if (raw[name] !== undefined) Object.assign(payload, { [name]: raw[name] });
  checkPayload(payload);
  return payload;
}

function checkPayload(payload: ShlPayload): void {
  if (typeof payload.url !== "string") throw invalid("the payload has no url");
  let url: URL;
  try {
    url = new URL(payload.url);
  } catch {
    throw invalid("the payload's url is not a URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw invalid("the payload's url is not http(s)");
  if (typeof payload.key !== "string" || !KEY.test(payload.key)) throw invalid("the payload's key is not 43 base64url characters (32 bytes)");
  if (payload.exp !== undefined && (typeof payload.exp !== "number" || !Number.isFinite(payload.exp))) throw invalid("the payload's exp is not a number");
  if (payload.flag !== undefined && (typeof payload.flag !== "string" || !/^[A-Z]*$/.test(payload.flag))) throw invalid("the payload's flag is not a string of capital letters");
  if (payload.label !== undefined && (typeof payload.label !== "string" || payload.label.length > SHL_LABEL_MAX_CHARS)) {
    throw invalid(`the payload's label is not a string of at most ${SHL_LABEL_MAX_CHARS} characters`);
  }
  if (payload.v !== undefined && (typeof payload.v !== "number" || !Number.isInteger(payload.v))) throw invalid("the payload's v is not an integer");
  if ((payload.v ?? VERSION) > VERSION) throw invalid(`this link uses SMART Health Links version ${payload.v}; this viewer knows version ${VERSION}`);
}
