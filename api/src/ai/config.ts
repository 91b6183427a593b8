import { configError } from "../errors.js";
import { int, url, type Env } from "../env.js";

/** Where the AI broker sends chat requests: any OpenAI-compatible chat-completions server. */
export interface AiEndpoint {
  /** The API root, for example `http://127.0.0.1:11434/v1` (Ollama) or `https://api.openai.com/v1`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer ...`; local servers (Ollama, vLLM, TGI) often need none. */
  apiKey: string | undefined;
  model: string;
}

/** Per-request and per-DID limits of the AI broker. */
export interface AiLimits {
  maxMessages: number;
  maxMessageChars: number;
  maxNames: number;
  /** `max_tokens` sent upstream: the longest answer one request may cost. */
  maxTokens: number;
  requestsPerMinute: number;
  requestsPerHour: number;
  /** Tokens (prompt + answer, as the upstream reports them) per DID over a sliding day. */
  tokensPerDay: number;
}

export interface AiConfig {
  /** Undefined: the AI assistant is off and `POST /ai/chat` answers 503 AI_NOT_CONFIGURED. */
  endpoint: AiEndpoint | undefined;
  /** The longest wait for the upstream's answer to begin, and between two of its chunks. */
  timeoutMs: number;
  limits: AiLimits;
}

export const AI_DEFAULTS = {
  maxMessages: 40,
  maxMessageChars: 4_000,
  maxNames: 20,
  maxTokens: 1_024,
  requestsPerMinute: 6,
  requestsPerHour: 60,
  tokensPerDay: 200_000,
  timeoutMs: 30_000,
} as const;

/** What a 503 says when no AI service is configured: the keys an operator sets to turn it on. */
export const AI_NOT_CONFIGURED_DETAIL =
  "AI_NOT_CONFIGURED: the AI assistant is off on this server. The operator turns it on by setting AI_BASE_URL " +
  "(an OpenAI-compatible API root, e.g. http://127.0.0.1:11434/v1 for Ollama), AI_MODEL (the model name) and, " +
  "if the service needs one, AI_API_KEY";


/** The AI broker: `AI_*`; off unless AI_BASE_URL is set. */
export function aiConfig(env: Env): AiConfig {
  const baseUrl = url(env, "AI_BASE_URL");
  const model = env.AI_MODEL?.trim() || undefined;
  if (baseUrl !== undefined && model === undefined) {
    throw configError("AI_MODEL must name the model to use when AI_BASE_URL is set (for example llama3.1:8b for Ollama)");
  }
  return {
    endpoint: baseUrl === undefined || model === undefined ? undefined : { baseUrl, apiKey: env.AI_API_KEY || undefined, model },
    timeoutMs: int(env, "AI_TIMEOUT_MS", AI_DEFAULTS.timeoutMs, 100, 600_000),
    limits: {
      maxMessages: int(env, "AI_MAX_MESSAGES", AI_DEFAULTS.maxMessages, 1, 500),
      maxMessageChars: int(env, "AI_MAX_MESSAGE_CHARS", AI_DEFAULTS.maxMessageChars, 1, 100_000),
      maxNames: AI_DEFAULTS.maxNames,
      maxTokens: int(env, "AI_MAX_TOKENS", AI_DEFAULTS.maxTokens, 1, 1_000_000),
      requestsPerMinute: int(env, "AI_REQUESTS_PER_MINUTE", AI_DEFAULTS.requestsPerMinute, 1, 100_000),
      requestsPerHour: int(env, "AI_REQUESTS_PER_HOUR", AI_DEFAULTS.requestsPerHour, 1, 1_000_000),
      tokensPerDay: int(env, "AI_TOKENS_PER_DAY", AI_DEFAULTS.tokensPerDay, 1, 1_000_000_000),
    },
  };
}
