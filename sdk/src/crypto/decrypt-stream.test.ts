import { randomBytes } from "@noble/hashes/utils.js";
import { beforeAll, describe, expect, it } from "vitest";
import { OpenChartError, type OpenChartErrorCode } from "../errors.js";
import { decryptStream, decryptToBytes, type DecryptOptions } from "./decrypt-stream.js";
import { encryptBytes, newContentKey } from "./encrypt-stream.js";
import { HEADER_BYTES, LENGTH_FIELD_BYTES, TAG_BYTES, framedSize } from "./stream-format.js";

// 4 chunks of 100 sealed bytes and a final one of 72 (8-byte length field, 450 bytes of data, 14 of padding):
// offsets of each sealed chunk in the ciphertext.
const CHUNK = 100;
const WIRE = CHUNK + TAG_BYTES;
const PLAINTEXT = randomBytes(450);
const LAST = framedSize(PLAINTEXT.length) - 4 * CHUNK;
const chunkAt = (i: number) => HEADER_BYTES + i * WIRE;

let key: Uint8Array;
let ciphertext: Uint8Array;
let sha256: `0x${string}`;

beforeAll(async () => {
  key = newContentKey();
  ({ ciphertext, sha256 } = await encryptBytes(PLAINTEXT, key, { chunkBytes: CHUNK }));
  expect(LAST).toBe(72);
  expect(ciphertext.length).toBe(chunkAt(4) + LAST + TAG_BYTES);
});

async function failure(bytes: Uint8Array, options: DecryptOptions = {}, withKey = key): Promise<OpenChartError> {
  const error = await decryptToBytes(bytes, withKey, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenChartError);
  return error as OpenChartError;
}

async function expectFailure(bytes: Uint8Array, code: OpenChartErrorCode, message: RegExp, options?: DecryptOptions): Promise<void> {
  const error = await failure(bytes, options);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
}

function flipped(at: number): Uint8Array {
  const copy = ciphertext.slice();
  copy[at]! ^= 0x01;
  return copy;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const header = () => ciphertext.subarray(0, HEADER_BYTES);
const sealedChunk = (i: number) => ciphertext.subarray(chunkAt(i), Math.min(chunkAt(i + 1), ciphertext.length));

describe("decryptStream detects every kind of damage with a coded error", () => {
  it("opens the intact ciphertext (control)", async () => {
    expect(await decryptToBytes(ciphertext, key, { expectedSha256: sha256 })).toEqual(PLAINTEXT);
  });

  it("wrong key: WRONG_KEY before any chunk is tried", async () => {
    const error = await failure(ciphertext, {}, newContentKey());
    expect(error.code).toBe("WRONG_KEY");
    expect(error.message).toMatch(/does not open the ciphertext/);
  });

  it.each([
    ["a ciphertext byte of chunk 0", () => chunkAt(0) + 5, /chunk 0 failed authentication/],
    ["a ciphertext byte of chunk 2", () => chunkAt(2) + 50, /chunk 2 failed authentication/],
    ["the tag of chunk 3", () => chunkAt(3) + CHUNK + 3, /chunk 3 failed authentication/],
    ["a byte of the final chunk", () => chunkAt(4) + 1, /last chunk \(4\) failed authentication/],
    ["the header's nonce prefix", () => 9, /chunk 0 failed authentication/],
    ["the header's chunk size", () => 7, /chunk 0 failed authentication/],
  ])("one flipped bit in %s: TAMPERED", async (_, at, message) => {
    await expectFailure(flipped(at()), "TAMPERED", message);
  });

  it("bytes appended after the final chunk: TAMPERED", async () => {
    await expectFailure(concat(ciphertext, new Uint8Array(10)), "TAMPERED", /last chunk \(4\)/);
    await expectFailure(concat(ciphertext, randomBytes(WIRE)), "TAMPERED", /chunk 4 failed authentication/);
  });

  it("a chunk moved: REORDERED naming both positions", async () => {
    const swapped = concat(header(), sealedChunk(1), sealedChunk(0), sealedChunk(2), sealedChunk(3), sealedChunk(4));
    await expectFailure(swapped, "REORDERED", /position 0 is chunk 1 of this file/);
  });

  it("a chunk repeated: REORDERED", async () => {
    const repeated = concat(header(), sealedChunk(0), sealedChunk(1), sealedChunk(1), sealedChunk(2), sealedChunk(3), sealedChunk(4));
    await expectFailure(repeated, "REORDERED", /position 2 is chunk 1 of this file: chunks were repeated/);
  });

  it("a chunk dropped from the middle: REORDERED", async () => {
    const dropped = concat(header(), sealedChunk(0), sealedChunk(2), sealedChunk(3), sealedChunk(4));
    await expectFailure(dropped, "REORDERED", /position 1 is chunk 2/);
  });

  it("cut at a chunk boundary (final chunk lost): TRUNCATED", async () => {
    await expectFailure(ciphertext.subarray(0, chunkAt(4)), "TRUNCATED", /ended after chunk 3 without its final chunk/);
    await expectFailure(ciphertext.subarray(0, chunkAt(1)), "TRUNCATED", /ended after chunk 0/);
    await expectFailure(ciphertext.subarray(0, HEADER_BYTES), "TRUNCATED", /ended before its first chunk/);
  });

  it("cut inside the header or with a few stray bytes: TRUNCATED", async () => {
    await expectFailure(ciphertext.subarray(0, 20), "TRUNCATED", /inside its 32-byte header/);
    await expectFailure(new Uint8Array(0), "TRUNCATED", /header \(0 bytes\)/);
    await expectFailure(ciphertext.subarray(0, chunkAt(2) + 5), "TRUNCATED", /5 stray bytes/);
  });

  it("cut inside a chunk: TRUNCATED when the expected size is known, else TAMPERED saying it may be cut short", async () => {
    const cut = ciphertext.subarray(0, chunkAt(2) + 60);
    await expectFailure(cut, "TRUNCATED", /ended inside chunk 2, short of the expected 472 sealed bytes/, { totalBytes: PLAINTEXT.length });
    await expectFailure(cut, "TAMPERED", /modified or cut short/);
  });

  it("a chunk whose own final flag was forged into the middle is refused", async () => {
    // Take a one-chunk file's final chunk and splice it in as the last chunk of another file: different
    // key/prefix, so it cannot authenticate.
    const other = await encryptBytes(randomBytes(50), key, { chunkBytes: CHUNK });
    const spliced = concat(ciphertext.subarray(0, chunkAt(4)), other.ciphertext.subarray(HEADER_BYTES));
    await expectFailure(spliced, "TAMPERED", /last chunk \(4\)/);
  });

  it("not our format: UNSUPPORTED_FORMAT", async () => {
    await expectFailure(flipped(0), "UNSUPPORTED_FORMAT", /not an OpenChart ciphertext/);
    const v3 = ciphertext.slice();
    v3[3] = 3;
    await expectFailure(v3, "UNSUPPORTED_FORMAT", /version 3/);
  });

  it("a chunk size no writer uses: TAMPERED before any buffering", async () => {
    const huge = ciphertext.slice();
    new DataView(huge.buffer).setUint32(4, 0xffffffff);
    await expectFailure(huge, "TAMPERED", /impossible chunk size/);
  });

  it("authentic bytes but not the expected document: HASH_MISMATCH", async () => {
    const other = `0x${"ab".repeat(32)}` as const;
    await expectFailure(ciphertext, "HASH_MISMATCH", new RegExp(`expected ${other}`), { expectedSha256: other });
  });

  it("emits only authenticated chunks: those before the damage, then the error", async () => {
    const damaged = flipped(chunkAt(2) + 1);
    const got: Uint8Array[] = [];
    const stream = decryptStream(damaged, key, { parallelism: 1 });
    await expect(
      (async () => {
        for await (const chunk of stream) got.push(chunk);
      })(),
    ).rejects.toMatchObject({ code: "TAMPERED" });
    const first = CHUNK - LENGTH_FIELD_BYTES; // chunk 0 opens with the length field
    expect(got).toEqual([PLAINTEXT.subarray(0, first), PLAINTEXT.subarray(first, first + CHUNK)]);
    await expect(stream.result).rejects.toMatchObject({ code: "TAMPERED" });
  });
});
