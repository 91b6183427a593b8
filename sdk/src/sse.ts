/** One server-sent event: its `event` name ("message" when the stream names none) and its data lines joined by "\n". */
export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Reads a `text/event-stream` body (WHATWG HTML, "server-sent events"): fields `event` and `data`,
 * comment lines, any of CRLF/LF/CR line ends, events split across network chunks at any byte. Works on
 * `fetch` bodies in Node and browsers alike. Cancels the body when the consumer stops early.
 */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  let event = "";
  let data: string[] = [];
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (;;) {
        const end = lineEnd(buffered, done);
        if (end === undefined) break;
        const line = buffered.slice(0, end.at);
        buffered = buffered.slice(end.at + end.length);
        if (line === "") {
          if (data.length > 0) yield { event: event || "message", data: data.join("\n") };
          event = "";
          data = [];
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        const raw = colon === -1 ? "" : line.slice(colon + 1);
        const fieldValue = raw.startsWith(" ") ? raw.slice(1) : raw;
        if (field === "event") event = fieldValue;
        else if (field === "data") data.push(fieldValue);
      }
      if (done) {
        finished = true;
        // The standard drops an event not closed by a blank line: it may be a truncated one.
        return;
      }
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** The first complete line end in `text`; a trailing CR waits for the next chunk (it may be half of a CRLF). */
function lineEnd(text: string, atEnd: boolean): { at: number; length: number } | undefined {
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 10) return { at: i, length: 1 };
    if (char === 13) {
      if (i + 1 < text.length) return { at: i, length: text.charCodeAt(i + 1) === 10 ? 2 : 1 };
      return atEnd ? { at: i, length: 1 } : undefined;
    }
  }
  return undefined;
}
