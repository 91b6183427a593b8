import { readServerSentEvents } from "@openchart/sdk";
import type { AiEndpoint } from "./config.js";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export type UpstreamEvent =
  | { kind: "delta"; text: string }
  | { kind: "finish"; reason: string }
  | { kind: "usage"; totalTokens: number };

export type UpstreamFailure = "status" | "timeout" | "protocol" | "network";

/** The upstream failed: answered an error status, said nothing in time, broke the protocol, or dropped. */
export class UpstreamError extends Error {
  override readonly name = "UpstreamError";
  constructor(
    readonly failure: UpstreamFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The caller went away: not the upstream's fault, nothing to report to anyone. */
export class CallerGone extends Error {
  override readonly name = "CallerGone";
}

export interface ChatStream {
  /** The upstream's HTTP status (2xx here: others throw). */
  status: number;
  events: AsyncGenerator<UpstreamEvent>;
}

export interface ChatRequest {
  messages: ChatMessage[];
  maxTokens: number;
  /** The longest wait for the answer to begin, and between two of its chunks. */
  timeoutMs: number;
  /** Aborted when the caller disconnects: the upstream request is cancelled with it. */
  signal: AbortSignal;
}

/**
 * Asks an OpenAI-compatible server for a streamed chat completion (`POST {base}/chat/completions`,
 * `stream: true`). Resolves once the answer starts, so a failure before then (status, timeout) can
 * still become an HTTP error; what follows is read chunk by chunk, only as fast as it is consumed.
 */
export async function streamChatCompletion(endpoint: AiEndpoint, request: ChatRequest): Promise<ChatStream> {
  const watchdog = new Watchdog(request.timeoutMs, request.signal);
  let response: Response;
  try {
    response = await fetch(`${endpoint.baseUrl}/chat/completions`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "text/event-stream, application/json",
        ...(endpoint.apiKey === undefined ? {} : { authorization: `Bearer ${endpoint.apiKey}` }),
      },
      body: JSON.stringify({
        model: endpoint.model,
        messages: request.messages,
        max_tokens: request.maxTokens,
        stream: true,
        // Asks for a last chunk with the token count (the daily budget); servers that do not know it ignore it.
        stream_options: { include_usage: true },
      }),
      signal: watchdog.signal,
    });
  } catch (error) {
    watchdog.stop();
    throw watchdog.explain(error, "connecting");
  }
  watchdog.stop();
  if (!response.ok) {
    // The body may echo the (redacted) prompt: it is not passed on, only the status.
    await response.body?.cancel().catch(() => undefined);
    throw new UpstreamError("status", `the AI service answered HTTP ${response.status}`, response.status);
  }
  const type = response.headers.get("content-type") ?? "";
  const body = response.body;
  if (!body) {
    throw new UpstreamError("protocol", "the AI service answered with no body");
  }
  const events = type.includes("text/event-stream") ? streamedEvents(body, watchdog) : wholeAnswer(response, watchdog);
  return { status: response.status, events };
}

async function* streamedEvents(body: ReadableStream<Uint8Array>, watchdog: Watchdog): AsyncGenerator<UpstreamEvent> {
  try {
    for await (const event of readServerSentEvents(watchdog.watch(body))) {
      if (event.data === "[DONE]") return;
      yield* eventsOfChunk(parseChunk(event.data));
    }
  } catch (error) {
    throw watchdog.explain(error, "streaming");
  } finally {
    watchdog.stop();
  }
}

/** A server that ignores `stream: true` answers one `chat.completion` object: it becomes one delta. */
async function* wholeAnswer(response: Response, watchdog: Watchdog): AsyncGenerator<UpstreamEvent> {
  let completion: Completion;
  watchdog.arm();
  try {
    completion = parseChunk(await response.text());
  } catch (error) {
    throw watchdog.explain(error, "reading the answer");
  } finally {
    watchdog.stop();
  }
  const choice = completion.choices?.[0];
  const text = choice?.message?.content;
  if (typeof text === "string" && text !== "") yield { kind: "delta", text };
  yield* eventsOfChunk({ ...completion, choices: choice ? [{ finish_reason: choice.finish_reason ?? "stop" }] : [] });
}

interface Completion {
  choices?: { delta?: { content?: unknown }; message?: { content?: unknown }; finish_reason?: unknown }[];
  usage?: { total_tokens?: unknown } | null;
  error?: unknown;
}

function parseChunk(data: string): Completion {
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    throw new UpstreamError("protocol", "the AI service sent a chunk that is not JSON");
  }
  if (typeof chunk !== "object" || chunk === null) throw new UpstreamError("protocol", "the AI service sent a chunk that is not an object");
  // vLLM and others report a failure mid-stream as an `error` chunk.
  if ("error" in chunk && chunk.error) throw new UpstreamError("protocol", "the AI service reported an error while answering");
  return chunk as Completion;
}

function* eventsOfChunk(chunk: Completion): Generator<UpstreamEvent> {
  const choice = chunk.choices?.[0];
  const text = choice?.delta?.content;
  if (typeof text === "string" && text !== "") yield { kind: "delta", text };
  if (typeof choice?.finish_reason === "string") yield { kind: "finish", reason: choice.finish_reason };
  const total = chunk.usage?.total_tokens;
  if (typeof total === "number" && Number.isFinite(total)) yield { kind: "usage", totalTokens: total };
}

/**
 * Aborts the upstream request when the caller goes, or when the upstream keeps the API waiting for
 * `timeoutMs`: for its answer to begin, or for its next chunk while the API is reading. Time spent not
 * reading (the caller is slow, backpressure holds the upstream) is not the upstream's silence.
 */
class Watchdog {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private timedOut = false;
  readonly signal: AbortSignal;

  constructor(
    private readonly timeoutMs: number,
    private readonly callerSignal: AbortSignal,
  ) {
    this.signal = AbortSignal.any([this.controller.signal, callerSignal]);
    this.arm();
  }

  /** The body, read only when its reader asks (no read-ahead), with the timer running during each read. */
  watch(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    this.stop();
    const reader = body.getReader();
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          this.arm();
          try {
            const { done, value } = await reader.read();
            if (done) controller.close();
            else controller.enqueue(value);
          } finally {
            this.stop();
          }
        },
        cancel: (reason) => reader.cancel(reason),
      },
      { highWaterMark: 0 },
    );
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  explain(error: unknown, stage: string): Error {
    if (error instanceof UpstreamError) return error;
    if (this.callerSignal.aborted) return new CallerGone("the caller disconnected");
    if (this.timedOut) return new UpstreamError("timeout", `the AI service sent nothing for ${this.timeoutMs} ms while ${stage}`);
    return new UpstreamError("network", `the AI service failed while ${stage}: ${(error as Error).message}`);
  }

  arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new Error("upstream timeout"));
    }, this.timeoutMs);
  }
}
