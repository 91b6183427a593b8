import { invalidInput } from "../errors.js";

/**
 * Bytes to encrypt or decrypt: whole, as chunks (a Node stream, a generator), or a WHATWG
 * `ReadableStream` such as `File.stream()` (Safari's streams are not async-iterable, hence the reader path).
 */
export type ByteSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

const EMPTY = new Uint8Array(0);

function iteratorOf(source: ByteSource): AsyncIterator<Uint8Array> | Iterator<Uint8Array> {
  if (source instanceof Uint8Array) return [source][Symbol.iterator]();
  if (typeof source === "object" && source !== null) {
    if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
    if (Symbol.iterator in source) return source[Symbol.iterator]();
    if ("getReader" in source && typeof source.getReader === "function") return readerIterator(source);
  }
  throw invalidInput("bytes must be a Uint8Array, an (async) iterable of Uint8Array or a ReadableStream");
}

function readerIterator(stream: ReadableStream<Uint8Array>): AsyncIterator<Uint8Array> {
  const reader = stream.getReader();
  return {
    next: async () => {
      const { done, value } = await reader.read();
      return done ? { done: true, value: undefined } : { done: false, value };
    },
    return: async () => {
      await reader.cancel();
      reader.releaseLock();
      return { done: true, value: undefined };
    },
  };
}

/**
 * Reads a byte source in pieces of an exact size, whatever sizes the source delivers. A piece that lies
 * inside one source chunk is returned as a view, without copying; only pieces that straddle chunks are copied.
 */
export class ByteReader {
  private readonly iterator: AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
  private current: Uint8Array = EMPTY;
  private offset = 0;
  private ended = false;
  /** Bytes handed out so far. */
  bytesRead = 0;

  constructor(source: ByteSource) {
    this.iterator = iteratorOf(source);
  }

  /** Exactly `size` bytes, or fewer only when the source has ended. */
  async read(size: number): Promise<Uint8Array> {
    if (this.current.length - this.offset >= size) {
      const piece = this.current.subarray(this.offset, this.offset + size);
      this.offset += size;
      this.bytesRead += size;
      return piece;
    }
    const piece = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      if (this.offset >= this.current.length) {
        if (!(await this.pull())) break;
        continue;
      }
      const take = Math.min(size - filled, this.current.length - this.offset);
      piece.set(this.current.subarray(this.offset, this.offset + take), filled);
      this.offset += take;
      filled += take;
    }
    this.bytesRead += filled;
    return filled === size ? piece : piece.subarray(0, filled);
  }

  /** Stops the source early (a consumer broke off or an error was found), letting it free its resources. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.iterator.return?.();
  }

  private async pull(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.iterator.next();
    if (next.done === true) {
      this.ended = true;
      return false;
    }
    if (!(next.value instanceof Uint8Array)) {
      throw invalidInput(`byte source yielded ${typeof next.value}, expected Uint8Array chunks`);
    }
    this.current = next.value;
    this.offset = 0;
    return true;
  }
}

/** Concatenates a stream of chunks into one array (for small payloads and tests). */
export async function collectBytes(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    length += chunk.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
