import { createHash } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { randomBytes } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import { decryptStream } from "./decrypt-stream.js";
import { encryptStream, newContentKey } from "./encrypt-stream.js";
import { DEFAULT_CHUNK_BYTES } from "./stream-format.js";
import { DEFAULT_PARALLELISM, InOrderQueue, resultStream } from "./stream-pipeline.js";

const MiB = 1024 * 1024;

/** V8's collector, so RSS is measured as live memory rather than as garbage not yet collected. */
function exposeGc(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

describe("streaming pipeline", () => {
  it("encrypts and decrypts 50 MiB chunk by chunk: bounded lead over the source, little live memory", async () => {
    const total = 50 * MiB;
    const piece = 64 * 1024; // what fs.createReadStream and File.stream() deliver
    const block = randomBytes(piece);
    const sourceHash = createHash("sha256");
    let pulled = 0;
    async function* file(): AsyncGenerator<Uint8Array> {
      for (let i = 0; pulled < total; i++) {
        const bytes = block.slice();
        bytes[0] = i & 0xff; // every piece differs, so a lost or repeated one changes the hash
        bytes[1] = (i >> 8) & 0xff;
        sourceHash.update(bytes);
        pulled += bytes.length;
        yield bytes;
      }
    }
    const key = newContentKey();
    const sealed = encryptStream(file(), key, { totalBytes: total });
    const opened = decryptStream(sealed, key, { totalBytes: total });
    const gc = exposeGc();
    gc();
    const before = process.memoryUsage();
    let rssPeak = before.rss;
    let buffersPeak = before.arrayBuffers;
    let received = 0;
    let maxLead = 0;
    const outHash = createHash("sha256");
    for await (const chunk of opened) {
      outHash.update(chunk);
      received += chunk.length;
      maxLead = Math.max(maxLead, pulled - received);
      if ((received / DEFAULT_CHUNK_BYTES) % 5 === 0) {
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        gc(); // then what is left is what the pipeline holds
        buffersPeak = Math.max(buffersPeak, process.memoryUsage().arrayBuffers);
      }
    }
    expect(received).toBe(total);
    const expected = `0x${sourceHash.digest("hex")}`;
    expect(`0x${outHash.digest("hex")}`).toBe(expected);
    expect((await sealed.result).sha256).toBe(expected);
    expect((await opened.result).sha256).toBe(expected);
    // Each stage holds its chunks in flight plus the one being read: a few MiB, not the file.
    const stageChunks = DEFAULT_PARALLELISM + 1;
    expect(maxLead).toBeLessThanOrEqual(2 * stageChunks * DEFAULT_CHUNK_BYTES + piece);
    // Array buffers alive after a collection: a few chunks (6 MiB measured; up to 26 when V8's concurrent
    // sweeping lags behind the count). Holding either side whole would be 50 MiB.
    const buffersMiB = (buffersPeak - before.arrayBuffers) / MiB;
    expect(buffersMiB).toBeLessThan(36);
    // RSS also counts freed memory the allocator keeps (its threads' arenas): about 60 to 100 MiB measured,
    // the same for 50 MiB as for 800 MiB streams. Loose bound: it catches buffering, not allocator moods.
    const rssMiB = (rssPeak - before.rss) / MiB;
    expect(rssMiB).toBeLessThan(160);
  });

  it("keeps results in order whatever order the work finishes in", async () => {
    const queue = new InOrderQueue<number>();
    const delays = [30, 1, 15, 0];
    delays.forEach((ms, i) => queue.push(new Promise((resolve) => setTimeout(() => resolve(i), ms))));
    const order: number[] = [];
    while (queue.size > 0) order.push(await queue.shift());
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it("a later failure waits its turn and raises no unhandled rejection meanwhile", async () => {
    const queue = new InOrderQueue<number>();
    queue.push(new Promise((resolve) => setTimeout(() => resolve(1), 20)));
    queue.push(Promise.reject(new Error("second failed")));
    expect(await queue.shift()).toBe(1);
    await expect(queue.shift()).rejects.toThrow("second failed");
    expect(() => queue.shift()).toThrow(/empty queue/);
  });

  it("resultStream resolves its result with the generator's return value once read to the end", async () => {
    const stream = resultStream("numbers", async function* () {
      yield new Uint8Array([1]);
      yield new Uint8Array([2]);
      return "done";
    });
    const seen: number[] = [];
    for await (const chunk of stream) seen.push(...chunk);
    expect(seen).toEqual([1, 2]);
    expect(await stream.result).toBe("done");
  });
});
