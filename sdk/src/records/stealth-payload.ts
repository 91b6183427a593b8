// Where a stealth document's sealed payload lives: in IPFS, with only its CID in the public document. Every
// recipient scans every grant's and note's public header (ephemeral key, view tag), so that header is kept to
// a few dozen bytes; the payload (padded to 8 KiB and more for a grant) is fetched only for the 1 in 256
// documents whose view tag matches. A payload is as opaque as it was inline: a fresh ciphertext, a fresh CID.
import type { StealthSealed } from "../crypto/index.js";
import { OpenChartError, invalidInput } from "../errors.js";
import type { StealthContent, StealthModel, StoredDocument } from "../streams/models.js";
import type { VaultContext } from "./context.js";

/** How long a reader waits for a payload the IPFS node does not have (it may be asking the network for it). */
export const PAYLOAD_TIMEOUT_MS = 10_000;

/** Puts `sealed`'s payload in IPFS (pinned) and returns the public document that points to it. */
export async function publishStealth(context: Pick<VaultContext, "blobs">, sealed: StealthSealed, maxBytes: number): Promise<StealthContent> {
  const bytes = new TextEncoder().encode(sealed.sealed);
  if (bytes.length > maxBytes) throw invalidInput(`a sealed payload holds at most ${maxBytes} bytes, this one ${bytes.length}`);
  const { cid } = await context.blobs.add(bytes);
  return { ephemeralKey: sealed.ephemeralKey, viewTag: sealed.viewTag, payload: cid };
}

/**
 * The document with its payload, ready to open; undefined when the payload cannot be had: not in IPFS within
 * the time limit, larger than `maxBytes`, or not a CID. Anyone can publish a document whose view tag happens
 * to match mine and whose payload is nowhere, so a recipient passes over such a document as over any other
 * that is not theirs. An IPFS node that does not answer at all is an error (UNREACHABLE), not a miss.
 */
export async function withPayload(context: Pick<VaultContext, "blobs" | "payloadTimeoutMs">, document: StoredDocument<StealthModel>, maxBytes: number): Promise<StealthSealed | undefined> {
  const { ephemeralKey, viewTag, payload } = document.content;
  const chunks: Uint8Array[] = [];
  let total = 0;
  const abort = new AbortController();
  const timeout = AbortSignal.timeout(context.payloadTimeoutMs ?? PAYLOAD_TIMEOUT_MS);
  try {
    for await (const chunk of context.blobs.cat(payload, { signal: AbortSignal.any([abort.signal, timeout]) })) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        abort.abort();
        return undefined;
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof OpenChartError && error.code === "UNREACHABLE") throw error;
    return undefined;
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { ephemeralKey, viewTag, sealed: new TextDecoder().decode(bytes) };
}

/** The payload of a document the caller wrote or asked for by ID: it must be there (NOT_FOUND names the document if not). */
export async function ownPayload(context: Pick<VaultContext, "blobs" | "payloadTimeoutMs">, document: StoredDocument<StealthModel>, maxBytes: number, what: string): Promise<StealthSealed> {
  const sealed = await withPayload(context, document, maxBytes);
  if (!sealed) throw new OpenChartError("NOT_FOUND", `${what}: its sealed payload ${document.content.payload} is not in IPFS (or larger than ${maxBytes} bytes)`);
  return sealed;
}
