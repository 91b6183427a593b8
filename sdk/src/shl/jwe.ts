import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, errors } from "jose";
import { collectBytes } from "../crypto/byte-reader.js";
import { OpenChartError } from "../errors.js";
import { fromBase64url } from "./base64url.js";

/** A decrypted SHL file: the content type its JWE header names, and the bytes. */
export interface ShlFileContent {
  contentType: string;
  bytes: Uint8Array;
}

/** The most bytes one file may decrypt or inflate to (a DEFLATE bomb stops here). */
export const SHL_FILE_MAX_BYTES = 64 * 1024 * 1024;

const keyBytes = (key: string): Uint8Array => {
  const bytes = fromBase64url(key);
  if (bytes.length !== 32) throw new OpenChartError("LINK_INVALID", "a SMART Health Link key is 32 bytes");
  return bytes;
};

/**
 * Encrypts one file as the IG says: compact JWE, `alg: dir`, `enc: A256GCM`, `cty` the content type; jose
 * draws a fresh 96-bit IV each time, so files and their updates under one key never share a nonce.
 */
export async function encryptShlFile(key: string, contentType: string, plaintext: Uint8Array): Promise<string> {
  return new CompactEncrypt(plaintext).setProtectedHeader({ alg: "dir", enc: "A256GCM", cty: contentType }).encrypt(keyBytes(key));
}

/**
 * Decrypts one file of any conformant link: `dir` + `A256GCM` only; `zip: "DEF"` (raw DEFLATE before
 * encryption, which the IG allows and jose 5 no longer inflates) is authenticated and decrypted with
 * WebCrypto, then inflated up to `maxBytes`. A changed byte anywhere fails with TAMPERED.
 */
export async function decryptShlFile(key: string, jwe: string, maxBytes = SHL_FILE_MAX_BYTES): Promise<ShlFileContent> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwe.trim());
  } catch {
    throw new OpenChartError("UNSUPPORTED_FORMAT", "not a compact JWE");
  }
  if (header.alg !== "dir" || header.enc !== "A256GCM") throw new OpenChartError("UNSUPPORTED_FORMAT", `a SMART Health Link file is alg dir, enc A256GCM; got ${String(header.alg)}, ${String(header.enc)}`);
  const contentType = typeof header.cty === "string" ? header.cty : "application/octet-stream";
  if (header.zip !== undefined && header.zip !== "DEF") throw new OpenChartError("UNSUPPORTED_FORMAT", `unknown JWE compression "${String(header.zip)}"`);
  const bytes = header.zip === "DEF" ? await inflateRaw(await decryptCompressed(keyBytes(key), jwe.trim()), maxBytes) : await decryptPlain(keyBytes(key), jwe.trim());
  if (bytes.length > maxBytes) throw new OpenChartError("INVALID_INPUT", `the file is larger than ${maxBytes} bytes`);
  return { contentType, bytes };
}

async function decryptPlain(key: Uint8Array, jwe: string): Promise<Uint8Array> {
  try {
    const { plaintext } = await compactDecrypt(jwe, key, { keyManagementAlgorithms: ["dir"], contentEncryptionAlgorithms: ["A256GCM"] });
    return plaintext;
  } catch (error) {
    throw refusal(error);
  }
}

/** RFC 7516 §5.2 by hand for the compressed case: AAD is the protected header's base64url, the tag follows the ciphertext. */
async function decryptCompressed(key: Uint8Array, jwe: string): Promise<Uint8Array> {
  const [protectedB64, encryptedKey, iv, ciphertext, tag] = jwe.split(".");
  if (encryptedKey !== "" || !iv || !ciphertext || tag === undefined) throw new OpenChartError("UNSUPPORTED_FORMAT", "not a compact JWE with alg dir");
  try {
    const sealed = new Uint8Array([...fromBase64url(ciphertext), ...fromBase64url(tag)]);
    const cryptoKey = await crypto.subtle.importKey("raw", key as BufferSource, "AES-GCM", false, ["decrypt"]);
    const additionalData = new TextEncoder().encode(protectedB64);
    return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64url(iv) as BufferSource, additionalData, tagLength: 128 }, cryptoKey, sealed));
  } catch (error) {
    throw refusal(error);
  }
}

function refusal(error: unknown): OpenChartError {
  if (error instanceof OpenChartError) return error;
  if (error instanceof errors.JOSEError && !(error instanceof errors.JWEDecryptionFailed)) return new OpenChartError("UNSUPPORTED_FORMAT", error.message, { cause: error });
  return new OpenChartError("TAMPERED", "the file does not decrypt with this link's key: it was changed, or belongs to another link", { cause: error });
}

async function inflateRaw(compressed: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  try {
    return await collectBytes(capped(new Blob([compressed as BlobPart]).stream().pipeThrough(new DecompressionStream("deflate-raw")), maxBytes));
  } catch (error) {
    if (error instanceof OpenChartError) throw error;
    throw new OpenChartError("UNSUPPORTED_FORMAT", "the file's DEFLATE data is not valid", { cause: error });
  }
}

/** The stream's chunks, stopped (and the inflater cancelled) once they pass `maxBytes`. */
async function* capped(stream: ReadableStream<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let total = 0;
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      total += next.value.length;
      if (total > maxBytes) throw new OpenChartError("INVALID_INPUT", `the file inflates to more than ${maxBytes} bytes`);
      yield next.value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
