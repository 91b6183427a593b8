import type { AnchorSigner } from "../anchor-client.js";
import { callApi, type ClientOptions } from "../api-call.js";
import { SHL_LABEL_MAX_CHARS, type ShlContentType, type ShlCreateBody, type ShlLinkList, type ShlLinkView } from "../api/shl.js";
import { signedFetch } from "../auth/signed-fetch.js";
import { invalidInput } from "../errors.js";
import { randomSecret } from "./base64url.js";
import { encryptShlFile } from "./jwe.js";
import { encodeShlink, viewerLinkOf, type ShlPayload } from "./payload.js";

export interface ShlDraft {
  files: { contentType: ShlContentType; bytes: Uint8Array }[];
  passcode?: string;
  /** Milliseconds since the epoch. */
  expiresAt?: number;
  /** Shown by viewers before the link is opened; goes into the link only, never to the API. */
  label?: string;
  longTerm?: boolean;
  direct?: boolean;
}

/** A new link's request to the API and the key that stays on this device (and in the link). */
export interface PreparedShl {
  key: string;
  body: ShlCreateBody;
}

export interface SharedLink {
  link: ShlLinkView;
  payload: ShlPayload;
  /** `shlink:/...`: what the QR code holds. */
  shlink: string;
  /** The viewer's URL with the shlink in its fragment, when a viewer was named. */
  viewerLink?: string;
}

/** Draws the link's key and encrypts every file with it, here: the API receives ciphertext only. */
export async function prepareShl(draft: ShlDraft): Promise<PreparedShl> {
  if (draft.label !== undefined && draft.label.length > SHL_LABEL_MAX_CHARS) throw invalidInput(`a label has at most ${SHL_LABEL_MAX_CHARS} characters`);
  if (draft.direct && (draft.passcode !== undefined || draft.files.length !== 1)) throw invalidInput("a direct (U flag) link carries exactly one file and no passcode");
  const key = randomSecret();
  const files = await Promise.all(draft.files.map(async (file) => ({ contentType: file.contentType, jwe: await encryptShlFile(key, file.contentType, file.bytes) })));
  const body: ShlCreateBody = { files };
  if (draft.passcode !== undefined) body.passcode = draft.passcode;
  if (draft.expiresAt !== undefined) body.expiresAt = draft.expiresAt;
  if (draft.longTerm) body.longTerm = true;
  if (draft.direct) body.direct = true;
  return { key, body };
}

/** The link the API created, with the key and label added on this device: payload, `shlink:/`, viewer link. */
export function sharedLinkOf(link: ShlLinkView, key: string, options: { label?: string; viewerUrl?: string } = {}): SharedLink {
  if (!link.url) throw invalidInput("the link's URL is only in the API's answer to its creation");
  const payload: ShlPayload = { url: link.url, key };
  if (link.expiresAt !== null) payload.exp = Math.floor(link.expiresAt / 1000);
  if (link.flag) payload.flag = link.flag;
  if (options.label) payload.label = options.label;
  const shlink = encodeShlink(payload);
  return { link, payload, shlink, ...(options.viewerUrl ? { viewerLink: viewerLinkOf(options.viewerUrl, shlink) } : {}) };
}

const call = async (apiUrl: string, method: "GET" | "POST" | "DELETE", route: string, signer: AnchorSigner, options: ClientOptions, body?: unknown) =>
  callApi("SMART Health Links service", apiUrl, route, options, (url, { signal }) =>
    signedFetch(
      signer.session,
      url,
      { method, signal, ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }) },
      { audience: signer.audience, ...(options.fetch ? { fetch: options.fetch } : {}) },
    ),
  );

/** Creates a link for the session's DID (files encrypted here first). */
export async function createShl(apiUrl: string, signer: AnchorSigner, draft: ShlDraft, options: ClientOptions & { viewerUrl?: string } = {}): Promise<SharedLink> {
  const { key, body } = await prepareShl(draft);
  const link = (await (await call(apiUrl, "POST", "/shl/links", signer, options, body)).json()) as ShlLinkView;
  return sharedLinkOf(link, key, { ...(draft.label ? { label: draft.label } : {}), ...(options.viewerUrl ? { viewerUrl: options.viewerUrl } : {}) });
}

/** The session DID's links, newest first. */
export const listShls = async (apiUrl: string, signer: AnchorSigner, options: ClientOptions = {}): Promise<ShlLinkList> =>
  (await (await call(apiUrl, "GET", "/shl/links", signer, options)).json()) as ShlLinkList;

/** Revokes one of the session DID's links: its manifest and file URLs answer 404 from now on. */
export const revokeShl = async (apiUrl: string, signer: AnchorSigner, id: string, options: ClientOptions = {}): Promise<ShlLinkView> =>
  (await (await call(apiUrl, "DELETE", `/shl/links/${id}`, signer, options)).json()) as ShlLinkView;
