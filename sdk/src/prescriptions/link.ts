// How a patient hands a prescription to a pharmacy: a link (or the same link as a QR code) whose fragment
// carries the whole signed credential, deflated and base64url-encoded. The fragment never reaches a server:
// the pharmacy page reads it in the pharmacist's browser and sends the credential only to its own API.
import { base64urlToBytes, bytesToBase64url } from "../auth/base64url.js";
import { invalidInput } from "../errors.js";
import type { PrescriptionCredential } from "./credential.js";

/** The query parameter of the pharmacy page's hash route that holds the credential. */
export const PRESCRIPTION_LINK_PARAM = "rx";
/** A credential larger than this once inflated is refused (a real one is 2 to 3 KB). */
const MAX_INFLATED_BYTES = 64 * 1024;

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit = Infinity): Promise<Uint8Array> {
  const output = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of output as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > limit) throw invalidInput(`a prescription link holds at most ${limit} bytes`);
    chunks.push(chunk);
  }
  const joined = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.byteLength;
  }
  return joined;
}

/** The pharmacy page's link for `credential` (`pharmacyPage` is that page's URL, e.g. `https://app/#/pharmacy`). */
export async function prescriptionLink(credential: PrescriptionCredential, pharmacyPage: string): Promise<string> {
  const packed = await through(new TextEncoder().encode(JSON.stringify(credential)), new CompressionStream("deflate-raw"));
  return `${pharmacyPage}?${PRESCRIPTION_LINK_PARAM}=${bytesToBase64url(packed)}`;
}

/** The credential a prescription link (or its `rx` value alone) carries, as JSON to be verified; throws INVALID_INPUT. */
export async function readPrescriptionLink(link: string): Promise<unknown> {
  const text = link.trim();
  const match = /[?&]rx=([A-Za-z0-9_-]+)/.exec(text) ?? /^([A-Za-z0-9_-]+)$/.exec(text);
  if (!match) throw invalidInput("this is not a prescription link: it has no rx= part");
  const packed = base64urlToBytes(match[1]!);
  if (!packed) throw invalidInput("the prescription link is damaged: its rx= part is not base64url");
  let inflated: Uint8Array;
  try {
    inflated = await through(packed, new DecompressionStream("deflate-raw"), MAX_INFLATED_BYTES);
  } catch (error) {
    if (error instanceof Error && /at most/.test(error.message)) throw error;
    throw invalidInput("the prescription link is damaged: it does not decompress");
  }
  try {
    return JSON.parse(new TextDecoder().decode(inflated)) as unknown;
  } catch {
    throw invalidInput("the prescription link is damaged: it holds no JSON");
  }
}
