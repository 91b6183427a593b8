// A record's sealed header: everything about a record that is not needed in public. Only the patient's
// header key opens it; a grant carries a copy of the fields to its grantee.
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { headerKeyOf, openJson, sealJson } from "../crypto/index.js";
import { OpenChartError } from "../errors.js";
import type { Hex } from "../hex.js";
import { padded, unpadded } from "./sealed-payload.js";

/** Every header seals to one length: a 200-character title of 3-byte characters still fits. */
const HEADER_BLOCK_BYTES = 2048;

export interface RecordHeader {
  cid: string;
  title: string;
  mediaType: string;
  category?: string;
  /** Exact plaintext size in bytes (the ciphertext in IPFS is padded to a size class). */
  size: number;
  createdAt: string;
  /** The content key, hex. */
  contentKey: string;
  /** The commitment salt: secret, random. */
  salt: Hex;
  /** SHA-256 of the plaintext. */
  sha256: Hex;
}

export function contentKeyOf(header: RecordHeader): Uint8Array {
  return hexToBytes(header.contentKey);
}

export function contentKeyHex(key: Uint8Array): string {
  return bytesToHex(key);
}

export async function sealRecordHeader(header: RecordHeader, x25519SecretKey: Uint8Array): Promise<string> {
  return sealJson(padded({ v: 1, ...header }, HEADER_BLOCK_BYTES), headerKeyOf(x25519SecretKey));
}

export async function openRecordHeader(sealed: string, x25519SecretKey: Uint8Array, where: string): Promise<RecordHeader> {
  return parseRecordHeader(await openJson<unknown>(sealed, headerKeyOf(x25519SecretKey)), where);
}

const HEX32 = /^0x[0-9a-f]{64}$/;

/** Checks an opened header (or a grant's copy of one) field by field. */
export function parseRecordHeader(value: unknown, where: string): RecordHeader {
  const { v, ...h } = unpadded<RecordHeader & { v: number }>(value, where) as Record<string, unknown>;
  const bad = (field: string): never => {
    throw new OpenChartError("UNSUPPORTED_FORMAT", `the header of ${where} has no valid ${field}`);
  };
  if (v !== undefined && v !== 1) throw new OpenChartError("UNSUPPORTED_FORMAT", `the header of ${where} is version ${String(v)}, not 1`);
  if (typeof h.cid !== "string" || h.cid === "") bad("cid");
  if (typeof h.title !== "string") bad("title");
  if (typeof h.mediaType !== "string") bad("mediaType");
  if (h.category !== undefined && typeof h.category !== "string") bad("category");
  if (!Number.isSafeInteger(h.size) || (h.size as number) < 0) bad("size");
  if (typeof h.createdAt !== "string" || Number.isNaN(Date.parse(h.createdAt))) bad("createdAt");
  if (typeof h.contentKey !== "string" || !/^[0-9a-f]{64}$/.test(h.contentKey)) bad("contentKey");
  if (typeof h.salt !== "string" || !HEX32.test(h.salt)) bad("salt");
  if (typeof h.sha256 !== "string" || !HEX32.test(h.sha256)) bad("sha256");
  return {
    cid: h.cid as string,
    title: h.title as string,
    mediaType: h.mediaType as string,
    ...(typeof h.category === "string" ? { category: h.category } : {}),
    size: h.size as number,
    createdAt: h.createdAt as string,
    contentKey: h.contentKey as string,
    salt: h.salt as Hex,
    sha256: h.sha256 as Hex,
  };
}
