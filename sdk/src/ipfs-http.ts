// The Kubo RPC API's HTTP shapes that the sdk's own requests share (ipfs-blocks.ts, ipfs-one-request.ts):
// the RPC path, a one-file multipart body built from Blobs, and the node's error message.

/** `/api/v0` under a bare origin, else the URL's own path: kubo-rpc-client's rule. */
export function rpcBase(apiUrl: string): string {
  const url = new URL(apiUrl);
  const apiPath = url.pathname === "/" ? "/api/v0" : url.pathname.replace(/\/+$/, "");
  return `${url.origin}${apiPath}`;
}

const BOUNDARY = "openchart-block-5c1e0d3b9a7f";
const PART_HEAD = new TextEncoder().encode(
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="block"\r\nContent-Type: application/octet-stream\r\n\r\n`,
);
const PART_TAIL = new TextEncoder().encode(`\r\n--${BOUNDARY}--\r\n`);

export const MULTIPART_CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** Bytes the multipart framing adds before the file's own bytes (for upload progress). */
export const MULTIPART_HEAD_BYTES = PART_HEAD.length;

/**
 * A multipart body holding one file made of `parts`, as a single Blob: Chromium then reads it from its blob
 * store as it sends, and under DevTools network tracking it does not copy a Blob into every request event as
 * it does a byte body (1.5 s more per 20 MiB, BENCHMARKS.md, web portal).
 */
export function multipartBody(parts: readonly BlobPart[]): Blob {
  return new Blob([PART_HEAD, ...parts, PART_TAIL]);
}

/** The node's error as kubo-rpc-client words it: its JSON `Message`, else the body, else the status. */
export function nodeError(text: string, status: number): Error {
  let message: unknown;
  try {
    message = (JSON.parse(text) as { Message?: unknown }).Message;
  } catch {
    message = undefined;
  }
  return new Error(typeof message === "string" ? message : text || `HTTP ${status}`);
}
