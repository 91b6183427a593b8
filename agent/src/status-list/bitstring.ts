import { gunzipSync, gzipSync } from "node:zlib";

/** The spec's minimum list length (16 KiB of bits), which gives holders herd privacy. */
export const MIN_LIST_BITS = 131_072;
/** Refuse lists that would inflate beyond this, so a hostile list cannot exhaust memory. */
const MAX_LIST_BYTES = 16 * 1024 * 1024;

/**
 * A Bitstring Status List (W3C, v1.0): index 0 is the left-most bit, i.e. the most significant bit
 * of the first byte. Encoded as multibase base64url ("u" prefix, no padding) of the GZIP-compressed bytes.
 */
export class Bitstring {
  private constructor(private readonly bytes: Uint8Array) {}

  static empty(bits = MIN_LIST_BITS): Bitstring {
    if (!Number.isInteger(bits) || bits <= 0 || bits % 8 !== 0) {
      throw new RangeError(`a status list length must be a positive multiple of 8 bits, got ${bits}`);
    }
    return new Bitstring(new Uint8Array(bits / 8));
  }

  static fromBytes(bytes: Uint8Array): Bitstring {
    return new Bitstring(Uint8Array.from(bytes));
  }

  /** Decodes an `encodedList`; throws a RangeError with a precise message on anything malformed. */
  static decode(encodedList: string): Bitstring {
    if (typeof encodedList !== "string" || !encodedList.startsWith("u")) {
      throw new RangeError('encodedList must be a multibase base64url string starting with "u"');
    }
    const body = encodedList.slice(1);
    if (!/^[A-Za-z0-9_-]+$/.test(body)) throw new RangeError("encodedList is not base64url");
    let bytes: Buffer;
    try {
      bytes = gunzipSync(Buffer.from(body, "base64url"), { maxOutputLength: MAX_LIST_BYTES });
    } catch {
      throw new RangeError("encodedList is not GZIP-compressed data");
    }
    if (bytes.length === 0) throw new RangeError("encodedList decodes to an empty list");
    return new Bitstring(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  get length(): number {
    return this.bytes.length * 8;
  }

  get(index: number): boolean {
    this.check(index);
    return ((this.bytes[index >> 3]! >> (7 - (index & 7))) & 1) === 1;
  }

  set(index: number, value: boolean): void {
    this.check(index);
    const mask = 1 << (7 - (index & 7));
    const byte = this.bytes[index >> 3]!;
    this.bytes[index >> 3] = value ? byte | mask : byte & ~mask;
  }

  encode(): string {
    return `u${gzipSync(this.bytes).toString("base64url")}`;
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`status index ${index} is outside the list (0..${this.length - 1})`);
    }
  }
}
