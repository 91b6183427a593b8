// Adds bytes to IPFS in one `add` request whose body is gathered while the bytes are made: each piece becomes
// a Blob as it arrives (the copy happens while the next piece is encrypted), and the request goes once the last
// is in. A browser cannot stream a request body over HTTP/1.1, so this does not overlap the sending with the
// making as the block transport does (ipfs-blocks.ts), but it costs the browser about a quarter less CPU: one
// request instead of one per MiB, and the node cuts, hashes and pins the blocks itself, as for Node's streamed
// `add` (BENCHMARKS.md, web portal). Same IMPORT_SETTINGS, so the same CID as either.
import { CID } from "multiformats/cid";
import { IMPORT_SETTINGS } from "./ipfs-blocks.js";
import { MULTIPART_CONTENT_TYPE, MULTIPART_HEAD_BYTES, multipartBody, nodeError, rpcBase } from "./ipfs-http.js";

export interface OneRequestOptions {
  signal?: AbortSignal;
  /** Bytes of content sent so far: in browsers through XMLHttpRequest's upload events, else once at the end. */
  onSent?: (bytes: number) => void;
}

const ADD_QUERY = new URLSearchParams({
  "cid-version": String(IMPORT_SETTINGS.cidVersion),
  "raw-leaves": String(IMPORT_SETTINGS.rawLeaves),
  chunker: IMPORT_SETTINGS.chunker,
  hash: IMPORT_SETTINGS.hashAlg,
  pin: String(IMPORT_SETTINGS.pin),
  progress: "false",
}).toString();

/** Gathers `content`, adds it with one `add` request to the Kubo RPC API at `apiUrl` (pinned), and returns the CID the node answers. */
export async function addInOneRequest(apiUrl: string, content: AsyncIterable<Uint8Array>, options: OneRequestOptions = {}): Promise<string> {
  const parts: Blob[] = [];
  let bytes = 0;
  for await (const piece of content) {
    options.signal?.throwIfAborted();
    parts.push(new Blob([piece as Uint8Array<ArrayBuffer>]));
    bytes += piece.byteLength;
  }
  const body = multipartBody(parts);
  const { status, text } = await post(`${rpcBase(apiUrl)}/add?${ADD_QUERY}`, body, options, bytes);
  if (status < 200 || status > 299) throw nodeError(text, status);
  const hash = lastHash(text);
  if (hash === undefined) throw new Error(`add answered no CID: ${text.slice(0, 200)}`);
  const cid = CID.parse(hash);
  // A node that ignored the import settings would give a CID no other upload of these bytes gives.
  if (cid.version !== 1) throw new Error(`the node added the file as ${hash}, not a CIDv1`);
  options.onSent?.(bytes);
  return cid.toString();
}

/** The `Hash` of the answer's last line (the node answers one JSON object per line, the file's last). */
function lastHash(text: string): string | undefined {
  const line = text.trim().split("\n").at(-1);
  try {
    const hash = (JSON.parse(line ?? "") as { Hash?: unknown }).Hash;
    return typeof hash === "string" ? hash : undefined;
  } catch {
    return undefined;
  }
}

/**
 * POSTs the body: with XMLHttpRequest where there is one and someone listens for progress (fetch reports no
 * upload progress, and 64 MiB over a home connection takes minutes), else with fetch.
 */
function post(url: string, body: Blob, options: OneRequestOptions, contentBytes: number): Promise<{ status: number; text: string }> {
  const { signal, onSent } = options;
  if (onSent === undefined || typeof XMLHttpRequest === "undefined") {
    return fetch(url, { method: "POST", headers: { "content-type": MULTIPART_CONTENT_TYPE }, body, ...(signal ? { signal } : {}) }).then(async (response) => ({
      status: response.status,
      text: await response.text(),
    }));
  }
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const abort = () => request.abort();
    const done = () => signal?.removeEventListener("abort", abort);
    request.open("POST", url);
    request.setRequestHeader("content-type", MULTIPART_CONTENT_TYPE);
    request.upload.onprogress = (event) => onSent(Math.max(0, Math.min(contentBytes, event.loaded - MULTIPART_HEAD_BYTES)));
    request.onload = () => {
      done();
      resolve({ status: request.status, text: request.responseText });
    };
    request.onerror = () => {
      done();
      reject(new TypeError("the request failed (network error)"));
    };
    request.onabort = () => {
      done();
      reject(signal?.reason ?? new DOMException("aborted", "AbortError"));
    };
    if (signal?.aborted) return reject(signal.reason);
    signal?.addEventListener("abort", abort, { once: true });
    request.send(body);
  });
}
