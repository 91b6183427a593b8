/** Progress of a long operation, for progress bars: bytes done so far and the total when known. */
export type ProgressFn = (done: number, total: number | undefined) => void;

import type { ByteSource } from "./crypto/index.js";

export type { ByteSource };

function isReadableStream(source: ByteSource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array>).getReader === "function";
}

const SLICE = 1 << 20;

/** One async iterable over any ByteSource, so every consumer streams the same way. */
export async function* toBytesSource(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    // Slices (views, not copies) so progress moves smoothly even for a buffer given whole.
    for (let offset = 0; offset < source.byteLength; offset += SLICE) yield source.subarray(offset, offset + SLICE);
    return;
  }
  if (isReadableStream(source)) {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    yield* source as Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  }
}
