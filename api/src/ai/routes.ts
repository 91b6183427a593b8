import { createHmac } from "node:crypto";
import { Readable } from "node:stream";
import { AI_CONFIG_KEYS, AiStatusSchema, type AiStatus } from "@openchart/sdk";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { Store } from "../store/store.js";
import { apiError, ProblemSchema } from "../errors.js";
import { callerOf } from "../auth/route-auth.js";
import type { Caller } from "../auth/sign-in.js";
import { AI_NOT_CONFIGURED_DETAIL, type AiConfig, type AiEndpoint } from "./config.js";
import { checkConversation, withDisclaimer } from "./prompt.js";
import { CallerGone, streamChatCompletion, UpstreamError, type ChatStream } from "./upstream.js";
import { AiUsageLimits } from "./usage-limits.js";

export interface AiChatOptions {
  ai: AiConfig;
  store: Store;
  /** The secret the per-caller date shift is keyed by: the API token secret, the same on every replica. */
  secret: Uint8Array;
}

/** What the audit log keeps of one AI request: sizes, times and outcomes, never a word of content. */
interface Outcome {
  model: string;
  messages: number;
  chars: number;
  redacted: number;
  startedAt: number;
  upstreamStatus: number;
  answerChars: number;
  finishReason: string | undefined;
  tokens: number | undefined;
}

// The de-identifier's word lists and name recognizer take about 0.6 s of CPU to load: an API that never
// receives an AI request (most replicas, every test that starts one) does not load them.
let deidentifierModule: Promise<typeof import("@openchart/sdk/deidentify")> | undefined;
const loadDeidentifier = () => (deidentifierModule ??= import("@openchart/sdk/deidentify"));

const frame = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * `POST /ai/chat`: a signed-in caller's conversation goes, with identifiers redacted and the medical
 * disclaimer first, to the configured OpenAI-compatible model; the answer streams back as
 * server-sent events (`delta`... then `done`, or `error` if the model fails mid-answer).
 */
export const aiChatRoutes: FastifyPluginAsyncTypebox<AiChatOptions> = async (app, { ai, store, secret }) => {
  const usage = new AiUsageLimits(store.aiUsage, ai.limits);
  // The second pass shifts dates a client left by one offset per caller, so a resent conversation keeps its
  // intervals and its placeholders: keyed by the token secret, which replicas share (API_SESSION_SECRET; random
  // per start when unset), so every replica shifts a caller's dates alike.
  const shiftKey = createHmac("sha256", secret).update("openchart ai date shift").digest();
  const dateShiftOf = (did: string): number => {
    const [a = 0, b = 0] = createHmac("sha256", shiftKey).update(did).digest();
    return (30 + ((a * 256 + b) % 336)) * (a % 2 === 0 ? 1 : -1);
  };
  const { limits } = ai;
  const Message = Type.Object(
    {
      role: Type.String({ maxLength: 32, description: '"user" or "assistant"; the API sets the system message' }),
      content: Type.String({ minLength: 1, maxLength: limits.maxMessageChars }),
    },
    { additionalProperties: false },
  );
  const Body = Type.Object(
    {
      messages: Type.Array(Message, { minItems: 1, maxItems: limits.maxMessages }),
      names: Type.Optional(
        Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
          maxItems: limits.maxNames,
          description:
            "names the second pass must remove (the sdk de-identifies on the device and never sends this: names sent here reach the API)",
        }),
      ),
    },
    { additionalProperties: false },
  );

  const audit = async (caller: Caller, decision: "allowed" | "refused", refs: Record<string, string | number>) =>
    store.audit.append({ subject: caller.did, action: "ai.chat", decision, refs }, Date.now());

  const auditOutcome = (caller: Caller, outcome: Outcome) =>
    audit(caller, "allowed", {
      model: outcome.model,
      messages: outcome.messages,
      chars: outcome.chars,
      redacted: outcome.redacted,
      upstreamStatus: outcome.upstreamStatus,
      answerChars: outcome.answerChars,
      finishReason: outcome.finishReason ?? "none",
      durationMs: Date.now() - outcome.startedAt,
      ...(outcome.tokens === undefined ? {} : { tokens: outcome.tokens }),
    });

  /** The answer as SSE frames; audits when it ends, however it ends. */
  async function* relay(caller: Caller, stream: ChatStream, outcome: Outcome, callerGone: AbortSignal): AsyncGenerator<string> {
    try {
      // Sent at once, so the caller knows the model accepted the request before its first word.
      yield ": answer follows\n\n";
      for await (const event of stream.events) {
        if (event.kind === "delta") {
          outcome.answerChars += event.text.length;
          yield frame("delta", { text: event.text });
        } else if (event.kind === "finish") {
          outcome.finishReason = event.reason;
        } else {
          outcome.tokens = event.totalTokens;
        }
      }
      outcome.finishReason ??= "stop";
      yield frame("done", { finishReason: outcome.finishReason });
    } catch (error) {
      if (error instanceof CallerGone || callerGone.aborted) {
        outcome.finishReason = "client_aborted";
        return;
      }
      const failure = error instanceof UpstreamError ? error : new UpstreamError("network", (error as Error).message);
      outcome.finishReason = failure.failure === "timeout" ? "upstream_timeout" : "upstream_failed";
      yield frame("error", { code: failure.failure === "timeout" ? "UPSTREAM_TIMEOUT" : "UPSTREAM_FAILED", detail: failure.message });
    } finally {
      if (outcome.tokens !== undefined) {
        await usage.recordTokens(caller.did, outcome.tokens, Date.now()).catch((error: Error) => app.log.error({ err: error }, "could not record an AI request's tokens"));
      }
      await auditOutcome(caller, outcome).catch((error: Error) => app.log.error({ err: error }, "could not audit an AI request"));
    }
  }

  app.get(
    "/ai/status",
    {
      schema: {
        summary: "Whether the AI assistant is on, and the keys that turn it on",
        description: "Public: says whether a model is configured and its name, never the endpoint or its key.",
        tags: ["ai"],
        response: { 200: AiStatusSchema },
      },
    },
    async (): Promise<AiStatus> => (ai.endpoint ? { configured: true, model: ai.endpoint.model, keys: [...AI_CONFIG_KEYS] } : { configured: false, keys: [...AI_CONFIG_KEYS] }),
  );

  app.post(
    "/ai/chat",
    {
      config: { auth: "signed" },
      // Room for the largest conversation the limits allow, even with every character \u-escaped.
      bodyLimit: 64 * 1024 + limits.maxMessages * (limits.maxMessageChars * 6 + 64),
      schema: {
        summary: "Ask the AI health assistant; the answer streams back as server-sent events",
        description:
          "The sdk de-identifies a conversation on the caller's device; the API makes a second pass with the same module (names, " +
          "places smaller than a state, dates shifted, contacts, identifying numbers, DIDs, addresses, record IDs become placeholders) " +
          "before the conversation leaves the API; a medical disclaimer is always the system message. The 200 answer is text/event-stream: " +
          '`event: delta` `data: {"text":"..."}` frames, then `event: done` `data: {"finishReason":"stop"}`, or `event: error` ' +
          '`data: {"code":"UPSTREAM_FAILED"|"UPSTREAM_TIMEOUT","detail":"..."}` if the model fails after it began.',
        tags: ["ai"],
        security: [{ didSession: [] }],
        body: Body,
        response: {
          200: {
            description: "the answer, as server-sent events",
            content: { "text/event-stream": { schema: Type.String({ description: "delta..., then done or error frames" }) } },
          },
          400: ProblemSchema,
          401: ProblemSchema,
          429: ProblemSchema,
          502: ProblemSchema,
          503: ProblemSchema,
          504: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const endpoint: AiEndpoint | undefined = ai.endpoint;
      if (!endpoint) throw apiError("SERVICE_UNAVAILABLE", AI_NOT_CONFIGURED_DETAIL);
      const { messages, names = [] } = request.body;
      checkConversation(messages);
      const admission = await usage.admit(caller.did, Date.now());
      if (!admission.ok) {
        await audit(caller, "refused", { reason: "RATE_LIMITED", model: endpoint.model, messages: messages.length });
        throw apiError("RATE_LIMITED", `${admission.reason} per caller; try again later`, { retryAfterSeconds: admission.retryAfterMs / 1000 });
      }
      // A second pass: the sdk already de-identified on the caller's device (its placeholders are kept as they
      // are); this one catches what a client left, with the same module.
      const { Deidentifier } = await loadDeidentifier();
      const redacted = new Deidentifier({ terms: { names }, dateShiftDays: dateShiftOf(caller.did) }).deidentifyMessages(messages);
      const outcome: Outcome = {
        model: endpoint.model,
        messages: messages.length,
        chars: messages.reduce((sum, message) => sum + message.content.length, 0),
        redacted: new Set(redacted.spans.flat().map((span) => span.placeholder)).size,
        startedAt: Date.now(),
        upstreamStatus: 0,
        answerChars: 0,
        finishReason: undefined,
        tokens: undefined,
      };
      // The caller hanging up cancels the upstream request, whether it is still starting or streaming.
      const callerGone = new AbortController();
      reply.raw.once("close", () => {
        if (!reply.raw.writableFinished) callerGone.abort(new CallerGone("the caller disconnected"));
      });
      let stream: ChatStream;
      try {
        stream = await streamChatCompletion(endpoint, {
          messages: withDisclaimer(redacted.messages),
          maxTokens: limits.maxTokens,
          timeoutMs: ai.timeoutMs,
          signal: callerGone.signal,
        });
      } catch (error) {
        if (error instanceof UpstreamError) {
          outcome.upstreamStatus = error.status ?? 0;
          outcome.finishReason = error.failure === "timeout" ? "upstream_timeout" : "upstream_failed";
          await auditOutcome(caller, outcome);
          request.log.warn({ failure: error.failure, upstreamStatus: error.status }, "AI upstream failed");
          throw error.failure === "timeout"
            ? apiError("UPSTREAM_TIMEOUT", `${error.message}; try again later`)
            : apiError("UPSTREAM_FAILED", `${error.message}; try again later`);
        }
        if (error instanceof CallerGone) {
          outcome.finishReason = "client_aborted";
          await auditOutcome(caller, outcome);
          reply.hijack();
          reply.raw.destroy();
          return reply;
        }
        throw error;
      }
      outcome.upstreamStatus = stream.status;
      // Fastify pipes a stream payload as it is (with backpressure, destroying it if the caller goes); the
      // type provider only knows the schema's string.
      const frames = Readable.from(relay(caller, stream, outcome, callerGone.signal)) as unknown as string;
      return reply
        .code(200)
        .header("content-type", "text/event-stream; charset=utf-8")
        .header("cache-control", "no-cache, no-transform")
        // Proxies such as nginx buffer responses unless told not to: the answer must flow as it is written.
        .header("x-accel-buffering", "no")
        .send(frames);
    },
  );
};
