import { readProblem } from "../api/problem.js";
import type { ShlManifest, ShlManifestFile } from "../api/shl.js";
import { OpenChartError } from "../errors.js";
import { decryptShlFile, SHL_FILE_MAX_BYTES, type ShlFileContent } from "./jwe.js";
import { flagsOf, type ShlPayload } from "./payload.js";

export interface OpenShlOptions {
  /** Who is opening the link, as the IG asks ("suitable for display" to the patient who shared it). */
  recipient: string;
  /** Needed for a link with the P flag. */
  passcode?: string;
  /** The longest embedded file this client takes in the manifest; longer ones come by `location`. */
  embeddedLengthMax?: number;
  maxFileBytes?: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: number;
}

export interface ShlReceivedFile extends ShlFileContent {
  lastUpdated?: string;
}

/** The server refused the passcode (or none was given): how many wrong ones the link still takes (null: not said). */
export class ShlPasscodeError extends OpenChartError {
  constructor(
    message: string,
    readonly remainingAttempts: number | null,
  ) {
    super("PASSCODE_REFUSED", message);
  }
}

/**
 * Opens any conformant SMART Health Link (IG STU1): the manifest by POST (or, U flag, the single file by
 * GET), each file embedded or fetched from its short-lived `location`, each decrypted with the link's key
 * on this device. Refuses early, without a request, a P-flag link without a passcode and a link whose `exp`
 * has passed.
 */
export async function openShl(payload: ShlPayload, options: OpenShlOptions): Promise<ShlReceivedFile[]> {
  const flags = flagsOf(payload);
  const now = options.now ?? Date.now();
  if (payload.exp !== undefined && payload.exp * 1000 < now) throw new OpenChartError("LINK_INACTIVE", `this link expired on ${new Date(payload.exp * 1000).toISOString()}`);
  const get = options.fetch ?? fetch;
  const maxBytes = options.maxFileBytes ?? SHL_FILE_MAX_BYTES;
  const signal = () => AbortSignal.timeout(options.timeoutMs ?? 30_000);
  if (flags.has("U")) {
    const url = new URL(payload.url);
    url.searchParams.set("recipient", options.recipient);
    const response = await answered(get, url.toString(), { method: "GET", signal: signal() });
    return [await decryptShlFile(payload.key, await response.text(), maxBytes)];
  }
  if (flags.has("P") && !options.passcode) throw new ShlPasscodeError("this link needs its passcode", null);
  const body: Record<string, unknown> = { recipient: options.recipient };
  if (options.passcode) body.passcode = options.passcode;
  if (options.embeddedLengthMax !== undefined) body.embeddedLengthMax = options.embeddedLengthMax;
  const response = await answered(get, payload.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: signal() });
  const manifest = (await response.json()) as ShlManifest;
  if (!Array.isArray(manifest?.files)) throw new OpenChartError("UNSUPPORTED_FORMAT", "the manifest has no files array");
  return Promise.all(manifest.files.map((file) => openFile(file, payload.key, get, maxBytes, signal)));
}

async function openFile(file: ShlManifestFile, key: string, get: typeof fetch, maxBytes: number, signal: () => AbortSignal): Promise<ShlReceivedFile> {
  let jwe: string;
  if (typeof file.embedded === "string") jwe = file.embedded;
  else if (typeof file.location === "string") jwe = await (await answered(get, file.location, { method: "GET", signal: signal() })).text();
  else throw new OpenChartError("UNSUPPORTED_FORMAT", "a manifest file has neither embedded content nor a location");
  const content = await decryptShlFile(key, jwe, maxBytes);
  return { ...content, ...(file.lastUpdated ? { lastUpdated: file.lastUpdated } : {}) };
}

/** The response when it is a success; the IG's refusals as typed errors. */
async function answered(get: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await get(url, init);
  } catch (error) {
    throw new OpenChartError("SERVICE_ERROR", `cannot reach the link's server at ${new URL(url).origin}: ${(error as Error).message}`);
  }
  if (response.ok) return response;
  const body = (await response.json().catch(() => ({}))) as { remainingAttempts?: unknown };
  const detail = readProblem(body).detail;
  if (response.status === 401) {
    const remaining = typeof body.remainingAttempts === "number" ? body.remainingAttempts : null;
    throw new ShlPasscodeError(`the passcode was refused${remaining === null ? "" : `; ${remaining} attempt${remaining === 1 ? "" : "s"} left`}`, remaining);
  }
  if (response.status === 404) throw new OpenChartError("LINK_INACTIVE", detail ?? "the link's server no longer serves it (revoked, expired or locked)");
  throw new OpenChartError("SERVICE_ERROR", `the link's server answered ${response.status}${detail ? `: ${detail}` : ""}`);
}
