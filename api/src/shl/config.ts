import { SHL_FILE_URL_MAX_SECONDS, SHL_MANIFEST_PATH, SHL_URL_MAX_CHARS } from "@openchart/sdk";
import { configError } from "../errors.js";
import { int, url, type Env } from "../env.js";

export interface ShlConfig {
  /** The API's public base URL that manifest and file URLs start with. */
  baseUrl: string;
  /** Wrong passcodes a link takes over its whole lifetime before it locks. */
  passcodeAttempts: number;
  /** How long a manifest's file `location` URL lives (the IG: at most an hour). */
  fileUrlSeconds: number;
  /** The largest `POST /shl/links` body: all of a link's encrypted files. */
  maxBytes: number;
  /** Active links one account may keep. */
  maxActivePerDid: number;
}

/** Manifest URLs are base + `/shl/m/` + 43 characters; the IG caps them at 128. */
const MANIFEST_URL_EXTRA = SHL_MANIFEST_PATH.length + 43;

/** `SHL_*` keys; the base defaults to OPENCHART_API_URL, as sign-in's audience does. */
export function shlConfig(env: Env): ShlConfig {
  const baseUrl = url(env, "SHL_BASE_URL", env.OPENCHART_API_URL || "http://127.0.0.1:8787")!;
  if (baseUrl.length + MANIFEST_URL_EXTRA > SHL_URL_MAX_CHARS) {
    throw configError(`SHL_BASE_URL must have at most ${SHL_URL_MAX_CHARS - MANIFEST_URL_EXTRA} characters (manifest URLs may not exceed ${SHL_URL_MAX_CHARS}), got "${baseUrl}"`);
  }
  return {
    baseUrl,
    passcodeAttempts: int(env, "SHL_PASSCODE_ATTEMPTS", 10, 1, 100),
    fileUrlSeconds: int(env, "SHL_FILE_URL_SECONDS", SHL_FILE_URL_MAX_SECONDS, 1, SHL_FILE_URL_MAX_SECONDS),
    maxBytes: int(env, "SHL_MAX_BYTES", 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    maxActivePerDid: int(env, "SHL_MAX_ACTIVE_PER_DID", 50, 1, 10_000),
  };
}
