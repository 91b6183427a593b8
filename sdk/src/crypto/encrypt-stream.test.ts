import { createHash } from "node:crypto";
import { randomBytes } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import { OpenChartError } from "../errors.js";
import { collectBytes } from "./byte-reader.js";
import { decryptStream, decryptToBytes } from "./decrypt-stream.js";
import { encryptBytes, encryptStream, newContentKey } from "./encrypt-stream.js";
import { paddedSize } from "./padding.js";
import { DEFAULT_CHUNK_BYTES, HEADER_BYTES, LENGTH_FIELD_BYTES, TAG_BYTES, encryptedSize } from "./stream-format.js";

const nodeSha256 = (bytes: Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;

/** Random bytes of any size (getRandomValues serves at most 64 KiB a call). */
function randomOf(size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) out.set(randomBytes(Math.min(65536, size - at)), at);
  return out;
}

function* pieces(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe("encryptStream / decryptStream round trip", () => {
  const chunkBytes = 1000;
  const sizes = [0, 1, chunkBytes - 1, chunkBytes, chunkBytes + 1, 3 * chunkBytes + 17];

  it.each(sizes)("%i bytes with 1000-byte chunks: same bytes back, sha256 and sizes right", async (size) => {
    const plaintext = randomBytes(size);
    const key = newContentKey();
    const sealed = await encryptBytes(plaintext, key, { chunkBytes });
    expect(sealed.sha256).toBe(nodeSha256(plaintext));
    expect(sealed.plaintextBytes).toBe(size);
    expect(sealed.ciphertextBytes).toBe(sealed.ciphertext.length);
    expect(sealed.ciphertext.length).toBe(encryptedSize(size, chunkBytes));
    const back = decryptStream(sealed.ciphertext, key, { expectedSha256: sealed.sha256 });
    expect(await collectBytes(back)).toEqual(plaintext);
    expect(await back.result).toEqual({ sha256: sealed.sha256, plaintextBytes: size, ciphertextBytes: sealed.ciphertext.length });
  });

  it("uses 1 MiB chunks by default and a 32-byte header", async () => {
    const plaintext = randomOf(DEFAULT_CHUNK_BYTES + 5);
    const { ciphertext, chunkBytes: used } = await encryptBytes(plaintext, newContentKey());
    expect(used).toBe(1024 * 1024);
    // Header, the length field and the data padded to its size class (1 MiB + 32 KiB), in two chunks.
    expect(ciphertext.length).toBe(HEADER_BYTES + LENGTH_FIELD_BYTES + paddedSize(plaintext.length) + 2 * TAG_BYTES);
  });

  it("gives the same result whatever piece sizes the source delivers, from iterables and ReadableStreams", async () => {
    const plaintext = randomBytes(10_000);
    const key = newContentKey();
    const whole = await encryptBytes(plaintext, key, { chunkBytes: 999 });
    for (const size of [1, 7, 999, 1000, 4096]) {
      const sealed = encryptStream(pieces(plaintext, size), key, { chunkBytes: 999 });
      const ciphertext = await collectBytes(sealed);
      expect((await sealed.result).sha256).toBe(whole.sha256);
      // The ciphertext is re-chunked into odd pieces too on the way back.
      expect(await decryptToBytes(pieces(ciphertext, size + 3), key)).toEqual(plaintext);
    }
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const piece of pieces(plaintext, 1234)) controller.enqueue(piece.slice());
        controller.close();
      },
    });
    const fromStream = encryptStream(stream, key);
    const ciphertext = await collectBytes(fromStream);
    expect(await decryptToBytes(ciphertext, key, { expectedSha256: whole.sha256 })).toEqual(plaintext);
  });

  it("never repeats a ciphertext: the same bytes under the same key encrypt differently", async () => {
    const plaintext = randomBytes(100);
    const key = newContentKey();
    const a = await encryptBytes(plaintext, key);
    const b = await encryptBytes(plaintext, key);
    expect(a.ciphertext).not.toEqual(b.ciphertext);
    expect(a.sha256).toBe(b.sha256);
  });

  it("hashes identically with the portable (browser) SHA-256: WebCrypto for bytes held whole, hash-wasm for a stream", async () => {
    const plaintext = randomBytes(5000);
    const key = newContentKey();
    const sealed = await encryptBytes(plaintext, key, { chunkBytes: 512, portableHash: true });
    expect(sealed.sha256).toBe(nodeSha256(plaintext));
    const streamed = encryptStream(pieces(plaintext, 700), key, { chunkBytes: 512, totalBytes: plaintext.length, portableHash: true });
    await collectBytes(streamed);
    expect((await streamed.result).sha256).toBe(sealed.sha256);
    const back = decryptStream(sealed.ciphertext, key, { portableHash: true });
    await collectBytes(back);
    expect((await back.result).sha256).toBe(sealed.sha256);
  });

  it("ends a stream of bytes held whole before hashing them, and gives the hash in its result", async () => {
    const plaintext = randomOf(3 * DEFAULT_CHUNK_BYTES + 5);
    const stream = encryptStream(plaintext, newContentKey());
    await collectBytes(stream);
    // The hash runs a task after the end (so an IPFS import sends its last block first): not settled yet.
    let settled = false;
    void stream.result.then(() => (settled = true));
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(settled).toBe(false);
    expect((await stream.result).sha256).toBe(nodeSha256(plaintext));
  });

  it("refuses bytes held whole whose length is not the totalBytes announced, rather than hash what it holds", async () => {
    for (const [bytes, announced, reason] of [
      [10, 11, /ended after 10 bytes, but totalBytes announced 11/],
      [10, 9, /holds more than the 9 bytes totalBytes announced/],
    ] as const) {
      for (const portableHash of [false, true]) {
        const sealed = encryptStream(randomBytes(bytes), newContentKey(), { chunkBytes: 4, totalBytes: announced, portableHash });
        const error = await collectBytes(sealed).then(() => undefined, (e: unknown) => e);
        expect(error).toBeInstanceOf(OpenChartError);
        expect((error as OpenChartError).code).toBe("INVALID_INPUT");
        expect((error as OpenChartError).message).toMatch(reason);
        await expect(sealed.result).rejects.toBe(error);
      }
    }
  });

  it("reports progress per chunk up to the total, in plaintext bytes, both ways", async () => {
    const plaintext = randomBytes(2500);
    const key = newContentKey();
    const seen: [number, number | undefined][] = [];
    const sealed = await encryptBytes(plaintext, key, { chunkBytes: 1000, onProgress: (done, total) => seen.push([done, total]) });
    // Chunk 0 starts with the 8-byte length field; the last chunk ends with padding (2500 -> 2560).
    expect(seen).toEqual([
      [992, 2500],
      [1992, 2500],
      [2500, 2500],
    ]);
    const opened: number[] = [];
    await decryptToBytes(sealed.ciphertext, key, { totalBytes: 2500, onProgress: (done) => opened.push(done) });
    expect(opened).toEqual([992, 1992, 2500]);
  });

  it("rejects bad keys and options before any work", () => {
    const expectCode = (fn: () => unknown, pattern: RegExp) => {
      expect(fn).toThrow(OpenChartError);
      expect(fn).toThrow(pattern);
    };
    expectCode(() => encryptStream(new Uint8Array(1), new Uint8Array(16)), /content key must be 32 bytes, got 16/);
    expectCode(() => encryptStream(new Uint8Array(1), newContentKey(), { chunkBytes: 0 }), /chunk size/);
    expectCode(() => encryptStream(new Uint8Array(1), newContentKey(), { chunkBytes: 64 * 1024 * 1024 }), /chunk size/);
    expectCode(() => encryptStream(new Uint8Array(1), newContentKey(), { parallelism: 0 }), /parallelism/);
    expectCode(() => encryptStream(new Uint8Array(1), newContentKey(), { totalBytes: -1 }), /totalBytes/);
    expectCode(() => decryptStream(new Uint8Array(1), newContentKey(), { expectedSha256: "0x12" }), /expectedSha256/);
  });

  it("rejects a source that yields something other than bytes", async () => {
    const bad = encryptStream(["text" as unknown as Uint8Array], newContentKey());
    await expect(collectBytes(bad)).rejects.toThrow(/yielded string, expected Uint8Array/);
    await expect(bad.result).rejects.toThrow(/yielded string/);
  });

  it("can be read once; a reader that stops early closes the source and gets no result", async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) yield randomBytes(1000);
      } finally {
        closed = true;
      }
    }
    // With its length announced, the stream is encrypted as it is read (not held whole first).
    const sealed = encryptStream(source(), newContentKey(), { chunkBytes: 1000, totalBytes: 1_000_000 });
    const seen: number[] = [];
    for await (const chunk of sealed) {
      seen.push(chunk.length);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([HEADER_BYTES, 1000 + TAG_BYTES, 1000 + TAG_BYTES]);
    expect(closed).toBe(true);
    await expect(sealed.result).rejects.toThrow(/not read to the end/);
    expect(() => sealed[Symbol.asyncIterator]()).toThrow(/read only once/);
  });

  it("lets the source reuse its buffer between pieces (as a BYOB reader does)", async () => {
    const reused = new Uint8Array(1000);
    const expected: Uint8Array[] = [];
    function* refilling(): Generator<Uint8Array> {
      for (let i = 0; i < 5; i++) {
        reused.fill(i + 1);
        expected.push(reused.slice());
        yield reused;
      }
    }
    const key = newContentKey();
    const sealed = encryptStream(refilling(), key, { chunkBytes: 1000 }); // chunk = piece: no copy on our side
    const ciphertext = await collectBytes(sealed);
    const plaintext = new Uint8Array(expected.flatMap((piece) => [...piece]));
    expect((await sealed.result).sha256).toBe(nodeSha256(plaintext));
    expect(await decryptToBytes(ciphertext, key)).toEqual(plaintext);
  });

  it("keeps a copy of the key: wiping the caller's array mid-stream changes nothing", async () => {
    const plaintext = randomBytes(3000);
    const key = newContentKey();
    const keep = key.slice();
    const sealed = encryptStream(pieces(plaintext, 500), key, { chunkBytes: 1000 });
    key.fill(0);
    expect(await decryptToBytes(await collectBytes(sealed), keep)).toEqual(plaintext);
  });
});
