import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real loopback HTTP server speaking the OpenAI chat-completions protocol (`POST /v1/chat/completions`,
 * JSON or `stream: true` server-sent events ending in `data: [DONE]`), standing in for a paid model
 * service. It records every request it receives, so tests can prove what did (and did not) leave the API.
 */
export type FakeReply =
  | {
      kind: "stream";
      chunks: string[];
      finishReason?: string;
      /** Reported in a last chunk when the request asks for it (`stream_options.include_usage`). */
      usage?: { prompt_tokens: number; completion_tokens: number };
      /** Pause between chunks. */
      intervalMs?: number;
      /** After this many content chunks, wait for `until` before sending the rest. */
      hold?: { after: number; until: Promise<void> };
      /** After this many content chunks, stop sending anything, leaving the connection open. */
      stallAfter?: number;
    }
  | { kind: "json"; content: string; finishReason?: string; usage?: { prompt_tokens: number; completion_tokens: number } }
  | { kind: "status"; status: number }
  /** Accepts the request and never answers. */
  | { kind: "hang" };

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: ChatCompletionsBody;
  /** Content chunks written before the response ended. */
  chunksSent: number;
  /** How the exchange ended: the fake finished its answer, or the API closed the connection first. */
  ended: Promise<"finished" | "closed-by-client">;
}

export interface ChatCompletionsBody {
  model: string;
  messages: { role: string; content: string }[];
  max_tokens?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

export interface FakeChatCompletions {
  /** What AI_BASE_URL is set to. */
  baseUrl: string;
  apiKey: string;
  requests: ReceivedRequest[];
  /** Queues the reply for the next request; with nothing queued, `defaultReply` answers. */
  reply(reply: FakeReply): void;
  defaultReply: FakeReply;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFakeChatCompletions(apiKey = "sk-fake-test-key"): Promise<FakeChatCompletions> {
  const queue: FakeReply[] = [];
  const requests: ReceivedRequest[] = [];
  const fake: FakeChatCompletions = {
    baseUrl: "",
    apiKey,
    requests,
    reply: (reply) => void queue.push(reply),
    defaultReply: { kind: "stream", chunks: ["Hello", " there."] },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (raw += chunk));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/chat/completions") return openAiError(res, 404, `no route ${req.method} ${req.url}`);
      if (req.headers.authorization !== `Bearer ${apiKey}`) return openAiError(res, 401, "Incorrect API key provided");
      let body: ChatCompletionsBody;
      try {
        body = JSON.parse(raw) as ChatCompletionsBody;
      } catch {
        return openAiError(res, 400, "the body is not JSON");
      }
      if (typeof body.model !== "string" || !Array.isArray(body.messages)) return openAiError(res, 400, "model and messages are required");
      const ended = new Promise<"finished" | "closed-by-client">((resolve) => res.once("close", () => resolve(res.writableFinished ? "finished" : "closed-by-client")));
      const received: ReceivedRequest = { path: req.url, headers: req.headers, body, chunksSent: 0, ended };
      requests.push(received);
      void answer(res, body, queue.shift() ?? fake.defaultReply, received);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}

async function answer(res: ServerResponse, body: ChatCompletionsBody, reply: FakeReply, received: ReceivedRequest): Promise<void> {
  const id = `chatcmpl-${requestsId++}`;
  const created = Math.floor(Date.now() / 1000);
  if (reply.kind === "hang") return;
  if (reply.kind === "status") return openAiError(res, reply.status, "The server had an error while processing your request");
  const usage = (u: { prompt_tokens: number; completion_tokens: number }) => ({ ...u, total_tokens: u.prompt_tokens + u.completion_tokens });
  if (reply.kind === "json" || !body.stream) {
    const content = reply.kind === "json" ? reply.content : reply.chunks.join("");
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id,
        object: "chat.completion",
        created,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: reply.finishReason ?? "stop" }],
        ...(reply.usage ? { usage: usage(reply.usage) } : {}),
      }),
    );
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  const send = (chunk: object) => res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, ...chunk })}\n\n`);
  send({ choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
  for (const [index, text] of reply.chunks.entries()) {
    if (res.destroyed) return;
    if (reply.stallAfter === index) return;
    if (reply.hold?.after === index) await reply.hold.until;
    if (index > 0 && reply.intervalMs) await sleep(reply.intervalMs);
    if (res.destroyed) return;
    // A real server stops writing while the reader lags (TCP backpressure): so does the fake.
    if (!send({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })) await drained(res);
    received.chunksSent++;
  }
  if (reply.stallAfter === reply.chunks.length) return;
  send({ choices: [{ index: 0, delta: {}, finish_reason: reply.finishReason ?? "stop" }] });
  if (body.stream_options?.include_usage && reply.usage) send({ choices: [], usage: usage(reply.usage) });
  res.end("data: [DONE]\n\n");
}

let requestsId = 1;

const drained = (res: ServerResponse) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });

function openAiError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { message, type: status >= 500 ? "server_error" : "invalid_request_error", code: null } }));
}
