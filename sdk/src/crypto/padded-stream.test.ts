// Format version 2: padded to a size class inside the authenticated stream (stream-format.ts, padded-frame.ts).
import { createHash } from "node:crypto";
import { hexToBytes, randomBytes } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import { OpenChartError, type OpenChartErrorCode } from "../errors.js";
import { ByteReader, collectBytes } from "./byte-reader.js";
import { decryptStream, decryptToBytes } from "./decrypt-stream.js";
import { encryptBytes, encryptStream, newContentKey, sealChunks } from "./encrypt-stream.js";
import { paddedSize } from "./padding.js";
import { HEADER_BYTES, LENGTH_FIELD_BYTES, TAG_BYTES, encryptedSize, newHeader } from "./stream-format.js";

const CHUNK = 64;
const sha = (bytes: Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

function* pieces(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** Seals any STREAM plaintext under `key`, as only a key holder can: frames no honest writer makes. */
async function sealRaw(plain: Uint8Array, key: Uint8Array, version: 1 | 2 = 2, chunkBytes = CHUNK): Promise<Uint8Array> {
  const reader = new ByteReader(plain);
  const out: Uint8Array[] = [];
  const sealed = sealChunks(key, newHeader(key, chunkBytes, version), 2, async (size) => ({ plain: await reader.read(size), dataBytes: 0 }));
  for (let next = await sealed.next(); next.done !== true; next = await sealed.next()) out.push(next.value.bytes);
  return concat(...out);
}

/** A version-2 frame: length field (default: the data's), data, `padding` bytes of `fill`. */
function frame(data: Uint8Array, options: { length?: number; padding?: number; fill?: number } = {}): Uint8Array {
  const length = options.length ?? data.length;
  const field = new Uint8Array(LENGTH_FIELD_BYTES);
  new DataView(field.buffer).setBigUint64(0, BigInt(length));
  const padding = new Uint8Array(options.padding ?? paddedSize(data.length) - data.length).fill(options.fill ?? 0);
  return concat(field, data, padding);
}

async function refusal(ciphertext: Uint8Array, key: Uint8Array, totalBytes?: number): Promise<OpenChartError> {
  const error = await decryptToBytes(ciphertext, key, { totalBytes }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenChartError);
  return error as OpenChartError;
}

async function expectRefused(ciphertext: Uint8Array, key: Uint8Array, code: OpenChartErrorCode, message: RegExp): Promise<void> {
  const error = await refusal(ciphertext, key);
  expect([error.code, error.message]).toEqual([code, expect.stringMatching(message)]);
}

describe("padded stream (format version 2)", () => {
  // Sizes whose frame (8 + padded size) ends just before, on and after chunk boundaries, and around them.
  const sizes = [0, 1, 2, 7, 8, 9, CHUNK - 9, CHUNK - 8, CHUNK - 7, CHUNK, CHUNK + 1, 2 * CHUNK - 8, 2 * CHUNK, 3 * CHUNK + 17, 1000, 4096, 4097];

  it.each(sizes)("%i bytes: exact bytes back, whole or streamed, sized by its class only", async (size) => {
    const plaintext = randomBytes(size);
    const key = newContentKey();
    const sealed = await encryptBytes(plaintext, key, { chunkBytes: CHUNK });
    expect(sealed.ciphertext.length).toBe(encryptedSize(size, CHUNK));
    expect(sealed.ciphertext[3]).toBe(2);
    expect(sealed.plaintextBytes).toBe(size);
    const opened = decryptStream(pieces(sealed.ciphertext, 13), key, { expectedSha256: sealed.sha256, totalBytes: size });
    expect(await collectBytes(opened)).toEqual(plaintext);
    expect(await opened.result).toEqual({ sha256: sha(plaintext), plaintextBytes: size, ciphertextBytes: sealed.ciphertext.length });
    // Streamed with its length announced, and of unknown length (held whole first): the same frame.
    for (const totalBytes of [size, undefined]) {
      const stream = encryptStream(pieces(plaintext, 10), key, { chunkBytes: CHUNK, totalBytes });
      const ciphertext = await collectBytes(stream);
      expect(ciphertext.length).toBe(sealed.ciphertext.length);
      expect(await decryptToBytes(ciphertext, key, { expectedSha256: sealed.sha256 })).toEqual(plaintext);
    }
  });

  it("round-trips around the default 1 MiB chunk boundary", async () => {
    const key = newContentKey();
    for (const size of [2 ** 20 - 9, 2 ** 20 - 8, 2 ** 20, 2 ** 20 + 1]) {
      const plaintext = new Uint8Array(size).fill(size & 0xff);
      const { ciphertext, sha256 } = await encryptBytes(plaintext, key);
      expect(ciphertext.length).toBe(encryptedSize(size));
      expect(await decryptToBytes(ciphertext, key, { expectedSha256: sha256 })).toEqual(plaintext);
    }
  });

  it("the public size says only the size class: 129 and 144 bytes give equal lengths, 145 does not", async () => {
    const key = newContentKey();
    const lengths = await Promise.all([129, 140, 144, 145].map(async (n) => (await encryptBytes(randomBytes(n), key)).ciphertext.length));
    expect(lengths[0]).toBe(lengths[1]);
    expect(lengths[1]).toBe(lengths[2]);
    expect(lengths[3]).toBeGreaterThan(lengths[2]!);
    // Beyond the fixed header, length field and tags, the size is the padded size, <= 12% over the data.
    expect(encryptedSize(1_000_000) - HEADER_BYTES - LENGTH_FIELD_BYTES - TAG_BYTES).toBe(paddedSize(1_000_000));
  });

  it("refuses a source that holds more or fewer bytes than totalBytes announced", async () => {
    const key = newContentKey();
    const longer = encryptStream(pieces(randomBytes(300), 50), key, { chunkBytes: CHUNK, totalBytes: 200 });
    await expect(collectBytes(longer)).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/more than the 200 bytes/) });
    const shorter = encryptStream(pieces(randomBytes(100), 50), key, { chunkBytes: CHUNK, totalBytes: 200 });
    await expect(collectBytes(shorter)).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/ended after 100 bytes/) });
  });

  it("padding stripped without the key (ciphertext cut): TRUNCATED or TAMPERED", async () => {
    const key = newContentKey();
    const data = randomBytes(129); // frame 8 + 144: 15 bytes of padding at the end
    const { ciphertext } = await encryptBytes(data, key, { chunkBytes: CHUNK });
    const cut = ciphertext.subarray(0, ciphertext.length - 15);
    expect((await refusal(cut, key, 129)).code).toBe("TRUNCATED");
    expect((await refusal(cut, key)).code).toBe("TAMPERED");
  });

  it("padding stripped or the length field lying, forged with the key: TAMPERED", async () => {
    const key = newContentKey();
    const data = randomBytes(129);
    await expectRefused(await sealRaw(frame(data, { padding: 0 }), key), key, "TAMPERED", /padding was stripped/);
    await expectRefused(await sealRaw(frame(data, { padding: 14 }), key), key, "TAMPERED", /padding was stripped/);
    // Says 150 (class 160) over a frame of class 144; says 100 (class 104): data is read as padding.
    await expectRefused(await sealRaw(frame(data, { length: 150 }), key), key, "TAMPERED", /length field \(150 bytes\)/);
    await expectRefused(await sealRaw(frame(data, { length: 100 }), key), key, "TAMPERED", /padding is not all zero|padding was extended/);
    await expectRefused(await sealRaw(frame(data, { length: 2 ** 60 }), key), key, "TAMPERED", /beyond any file size/);
    await expectRefused(await sealRaw(randomBytes(5), key), key, "TAMPERED", /short of its length field/);
    await expectRefused(await sealRaw(new Uint8Array(0), key), key, "TAMPERED", /short of its length field/);
  });

  it("padding extended, by bytes or a whole chunk: TAMPERED, with or without the key", async () => {
    const key = newContentKey();
    const data = randomBytes(129);
    const { ciphertext } = await encryptBytes(data, key, { chunkBytes: CHUNK });
    await expectRefused(concat(ciphertext, new Uint8Array(15)), key, "TAMPERED", /failed authentication/);
    const other = await encryptBytes(randomBytes(CHUNK), key, { chunkBytes: CHUNK });
    await expectRefused(concat(ciphertext, other.ciphertext.subarray(HEADER_BYTES, HEADER_BYTES + CHUNK + TAG_BYTES)), key, "TAMPERED", /failed authentication/);
    await expectRefused(await sealRaw(frame(data, { padding: 16 }), key), key, "TAMPERED", /padding was extended/);
    await expectRefused(await sealRaw(frame(data, { padding: 15 + 3 * CHUNK }), key), key, "TAMPERED", /padding was extended/);
  });

  it("non-zero padding, forged with the key: TAMPERED", async () => {
    const key = newContentKey();
    await expectRefused(await sealRaw(frame(randomBytes(129), { fill: 1 }), key), key, "TAMPERED", /padding is not all zero/);
    const oneByte = frame(randomBytes(129));
    oneByte[oneByte.length - 1] = 0x80;
    await expectRefused(await sealRaw(oneByte, key), key, "TAMPERED", /padding is not all zero/);
  });

  it("a well-formed frame sealed by hand opens: the refusals above are about the frame, not the helper", async () => {
    const key = newContentKey();
    const data = randomBytes(129);
    expect(await decryptToBytes(await sealRaw(frame(data), key), key)).toEqual(data);
  });

  it("a version-2 ciphertext relabelled version 1 (dropping the frame check): TAMPERED", async () => {
    const key = newContentKey();
    const { ciphertext } = await encryptBytes(randomBytes(100), key, { chunkBytes: CHUNK });
    const downgraded = ciphertext.slice();
    downgraded[3] = 1;
    await expectRefused(downgraded, key, "TAMPERED", /chunk 0 failed authentication/);
  });

  it("version-1 ciphertexts still decrypt, exactly", async () => {
    // Made by the version-1 writer (39 bytes, 16-byte chunks, key 00 01 .. 1f) before padding existed.
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    const v1 = hexToBytes(
      "4f434501000000101160b4c8d238c600278325cb65ad9444a148a56579544f45ad91f01d5f3406b06a25d5bf1af98d040776e44f19503f7c7ccef3433754f4b61509f79e074ef13f2e1ee3977261b876816bbe332fe75b549438e8fc09f1703ac761642418bb901f270055532002c2aa9f988ccf112ccd",
    );
    const opened = await decryptToBytes(v1, key, { expectedSha256: "0xc04428dbce1ae5a8b4a6427b7f82298bb456325a71d5e6e19f96e02a42224125" });
    expect(new TextDecoder().decode(opened)).toBe("OpenChart v1 fixture: forty-some bytes.");
    const data = randomBytes(3 * CHUNK + 5);
    expect(await decryptToBytes(await sealRaw(data, key, 1), key)).toEqual(data);
    expect(await decryptToBytes(await sealRaw(new Uint8Array(0), key, 1), key)).toEqual(new Uint8Array(0));
  });
});
