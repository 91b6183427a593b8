import { describe, expect, it } from "vitest";
import { readServerSentEvents, type ServerSentEvent } from "./sse.js";

function streamOf(chunks: (string | Uint8Array)[]): { body: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let cancelled = false;
  const encoder = new TextEncoder();
  const queue = [...chunks];
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = queue.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(typeof next === "string" ? encoder.encode(next) : next);
    },
    cancel() {
      cancelled = true;
    },
  });
  return { body, cancelled: () => cancelled };
}

async function collect(chunks: (string | Uint8Array)[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readServerSentEvents(streamOf(chunks).body)) events.push(event);
  return events;
}

describe("readServerSentEvents", () => {
  it("reads named and unnamed events, multi-line data, comments and every line-end style", async () => {
    const events = await collect([
      ": a comment\n",
      "event: delta\ndata: {\"text\":\"Hel\"}\n\n",
      "data: first line\r\ndata: second line\r\n\r\n",
      "event: done\rdata:no-space\r\r",
      "data\n\n",
    ]);
    expect(events).toEqual([
      { event: "delta", data: '{"text":"Hel"}' },
      { event: "message", data: "first line\nsecond line" },
      { event: "done", data: "no-space" },
      { event: "message", data: "" },
    ]);
  });

  it("reassembles events and multi-byte characters split across chunks at any byte, CRLF included", async () => {
    const text = 'event: delta\r\ndata: {"text":"Blutdruck 120/80 – gut ✓"}\r\n\r\ndata: [DONE]\r\n\r\n';
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const events = await collect([bytes.slice(0, cut), bytes.slice(cut)]);
      expect(events, `cut at byte ${cut}`).toEqual([
        { event: "delta", data: '{"text":"Blutdruck 120/80 – gut ✓"}' },
        { event: "message", data: "[DONE]" },
      ]);
    }
  });

  it("drops a last event that no blank line closed (a truncated stream)", async () => {
    expect(await collect(["data: whole\n\n", "data: cut off"])).toEqual([{ event: "message", data: "whole" }]);
  });

  it("cancels the body when the consumer stops reading early", async () => {
    const source = streamOf(["data: 1\n\n", "data: 2\n\n", "data: 3\n\n"]);
    for await (const event of readServerSentEvents(source.body)) {
      expect(event.data).toBe("1");
      break;
    }
    expect(source.cancelled()).toBe(true);
  });
});
