import { OpenChartError, invalidInput } from "../errors.js";

/** A stream of output chunks that also tells, once read to the end, what it did. */
export interface ResultStream<R> extends AsyncIterable<Uint8Array> {
  /** Settles when the stream has been read to the end: with its figures, or with the error the reader saw. */
  readonly result: Promise<R>;
}

/** Progress in plaintext bytes; `totalBytes` when the caller said how many to expect. */
export type ProgressCallback = (bytesDone: number, totalBytes?: number) => void;

/** Chunks encrypted or decrypted at once. WebCrypto works off the main thread, so a few in flight overlap it
 * with hashing and with the caller's I/O; more brings nothing on small machines and costs memory. */
export const DEFAULT_PARALLELISM = 4;

export function checkParallelism(parallelism: number): void {
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 64) {
    throw invalidInput(`parallelism must be an integer from 1 to 64, got ${parallelism}`);
  }
}

/**
 * A result a stream's generator returns before it is ready: the stream ends at once and `result` waits for
 * the promise. (An async generator that returned the promise itself would wait for it before ending.)
 */
export class LaterResult<R> {
  constructor(readonly promise: Promise<R>) {}
}

/** Wraps a generator whose return value is the result, so the stream can be iterated once and awaited. */
export function resultStream<R>(what: string, produce: () => AsyncGenerator<Uint8Array, R | LaterResult<R>>): ResultStream<R> {
  let resolve!: (value: R | Promise<R>) => void;
  let reject!: (error: unknown) => void;
  const result = new Promise<R>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Whoever iterates sees the same error; a caller who only iterates must not get an unhandled rejection.
  result.catch(() => undefined);
  let started = false;

  async function* run(): AsyncGenerator<Uint8Array, void> {
    let settled = false;
    try {
      const value = yield* produce();
      settled = true;
      resolve(value instanceof LaterResult ? value.promise : value);
    } catch (error) {
      settled = true;
      reject(error);
      throw error;
    } finally {
      if (!settled) reject(invalidInput(`${what} was not read to the end`));
    }
  }

  return {
    result,
    [Symbol.asyncIterator]() {
      if (started) throw invalidInput(`${what} can be read only once`);
      started = true;
      return run();
    },
  };
}

/** Chunk results kept in submission order while several are being computed. */
export class InOrderQueue<T> {
  private readonly pending: Promise<T>[] = [];

  get size(): number {
    return this.pending.length;
  }

  push(work: Promise<T>): void {
    // A later chunk may fail while an earlier one is awaited; its error is reported when its turn comes.
    work.catch(() => undefined);
    this.pending.push(work);
  }

  shift(): Promise<T> {
    const next = this.pending.shift();
    if (next === undefined) throw new Error("InOrderQueue.shift on an empty queue");
    return next;
  }
}

export function subtleCrypto(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) {
    throw new OpenChartError(
      "INVALID_INPUT",
      "WebCrypto (crypto.subtle) is unavailable: in a browser the page must be served over https or from localhost",
    );
  }
  return subtle;
}

/** WebCrypto's types want ArrayBuffer-backed views; every array handed to it here is one. */
export function buffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}
