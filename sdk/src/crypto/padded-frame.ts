// The version-2 framing of a STREAM's plaintext: length (u64 BE) | data | zero padding to paddedSize(length).
// FramedSource builds it from a byte source as the encryptor pulls chunks; Unpadder strips it as the decryptor
// emits authenticated chunks, and refuses any frame an honest writer could not have made (those need the
// key to forge, since every byte here is inside the authenticated encryption).
import { OpenChartError, invalidInput } from "../errors.js";
import type { ByteReader } from "./byte-reader.js";
import { paddedSize } from "./padding.js";
import { LENGTH_FIELD_BYTES } from "./stream-format.js";

const TWO_32 = 2 ** 32;

function lengthField(n: number): Uint8Array {
  const field = new Uint8Array(LENGTH_FIELD_BYTES);
  const view = new DataView(field.buffer);
  view.setUint32(0, Math.floor(n / TWO_32));
  view.setUint32(4, n % TWO_32);
  return field;
}

/** Serves the framed plaintext of exactly `dataBytes` bytes of `reader`, in pieces of the size asked. */
export class FramedSource {
  private readonly prefix: Uint8Array;
  private prefixAt = 0;
  private dataLeft: number;
  private padLeft: number;
  private endChecked = false;
  /** Data (not length field, not padding) bytes served so far. */
  dataRead = 0;

  constructor(
    private readonly reader: ByteReader,
    private readonly dataBytes: number,
    private readonly onData: (data: Uint8Array) => void,
  ) {
    this.prefix = lengthField(dataBytes);
    this.dataLeft = dataBytes;
    this.padLeft = paddedSize(dataBytes) - dataBytes;
  }

  /** The next `size` bytes of the frame; fewer only at its end. */
  async read(size: number): Promise<Uint8Array> {
    if (this.prefixAt === LENGTH_FIELD_BYTES && this.dataLeft >= size && size > 0) {
      return this.takeData(size); // the common case: a chunk wholly inside the data, as the reader gives it
    }
    const left = LENGTH_FIELD_BYTES - this.prefixAt + this.dataLeft + this.padLeft;
    const out = new Uint8Array(Math.min(size, left)); // zero-filled: the padding needs no writing
    let at = 0;
    const fromPrefix = Math.min(LENGTH_FIELD_BYTES - this.prefixAt, out.length);
    out.set(this.prefix.subarray(this.prefixAt, this.prefixAt + fromPrefix), 0);
    this.prefixAt += fromPrefix;
    at += fromPrefix;
    const fromData = Math.min(this.dataLeft, out.length - at);
    if (fromData > 0) {
      out.set(await this.takeData(fromData), at);
      at += fromData;
    }
    if (this.dataLeft === 0 && !this.endChecked) {
      this.endChecked = true;
      if ((await this.reader.read(1)).length > 0) {
        throw invalidInput(`the byte source holds more than the ${this.dataBytes} bytes totalBytes announced`);
      }
    }
    this.padLeft -= out.length - at;
    return out;
  }

  private async takeData(size: number): Promise<Uint8Array> {
    const piece = await this.reader.read(size);
    if (piece.length < size) {
      throw invalidInput(`the byte source ended after ${this.dataRead + piece.length} bytes, but totalBytes announced ${this.dataBytes}`);
    }
    this.onData(piece);
    this.dataLeft -= size;
    this.dataRead += size;
    return piece;
  }
}

/** Reads the frame back from a stream's authenticated plaintext chunks, in order, and returns the data. */
export class Unpadder {
  private readonly field = new Uint8Array(LENGTH_FIELD_BYTES);
  private fieldAt = 0;
  private dataLeft = 0;
  private padLeft = 0;
  /** The length the stream declares, once its first 8 bytes were read. */
  length: number | undefined;

  /** The data bytes inside `plain` (a view of it); throws TAMPERED on padding no honest writer makes. */
  take(plain: Uint8Array): Uint8Array {
    let at = 0;
    if (this.length === undefined) {
      at = Math.min(LENGTH_FIELD_BYTES - this.fieldAt, plain.length);
      this.field.set(plain.subarray(0, at), this.fieldAt);
      this.fieldAt += at;
      if (this.fieldAt < LENGTH_FIELD_BYTES) return plain.subarray(0, 0);
      this.start();
    }
    const data = plain.subarray(at, at + Math.min(this.dataLeft, plain.length - at));
    this.dataLeft -= data.length;
    at += data.length;
    const padding = plain.length - at;
    if (padding > this.padLeft) {
      throw new OpenChartError("TAMPERED", `ciphertext holds more than its length field (${this.length} bytes) and padding allow: padding was extended`);
    }
    for (let i = at; i < plain.length; i++) {
      if (plain[i] !== 0) throw new OpenChartError("TAMPERED", "ciphertext padding is not all zero bytes");
    }
    this.padLeft -= padding;
    return data;
  }

  /** After the final chunk: the frame must be complete. */
  finish(): void {
    if (this.length === undefined || this.dataLeft > 0 || this.padLeft > 0) {
      const declared = this.length === undefined ? "its length field" : `its length field (${this.length} bytes) and padding`;
      throw new OpenChartError("TAMPERED", `ciphertext ended short of ${declared}: padding was stripped or the length field lies`);
    }
  }

  private start(): void {
    const view = new DataView(this.field.buffer);
    const high = view.getUint32(0);
    const length = high * TWO_32 + view.getUint32(4);
    if (high >= 2 ** 21) throw new OpenChartError("TAMPERED", "ciphertext length field is beyond any file size");
    this.length = length;
    this.dataLeft = length;
    this.padLeft = paddedSize(length) - length;
  }
}
