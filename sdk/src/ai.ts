import { readProblem, type Problem } from "./api/problem.js";
import { withoutTrailingSlash } from "./api/url.js";
import { signedFetch, type SigningSession } from "./auth/index.js";
import { OpenChartError, type OpenChartErrorCode } from "./errors.js";
import { readServerSentEvents } from "./sse.js";

export interface AssistantMessage {
  role: "user" | "assistant";
  content: string;
}

export interface AskAssistantOptions {
  /** Called with each piece of the answer as it arrives. */
  onDelta?: (text: string) => void;
  /** Names of people in the conversation: the API replaces them with placeholders before the model sees them. */
  names?: string[];
  /** The API's audience in signed requests; defaults to `apiUrl`. */
  audience?: string;
  /** Aborting stops the answer: the API cancels the model's request too. */
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export interface AssistantAnswer {
  text: string;
  /** The model's reason to stop: "stop", "length" (AI_MAX_TOKENS reached)... */
  finishReason: string;
}

/**
 * Asks the API's AI assistant (`POST /ai/chat`, signed with the did-session) and reads its streamed
 * answer. Runs in browsers and Node alike (fetch + ReadableStream). Resolves with the whole answer;
 * rejects with an OpenChartError whose message carries the API's problem code and detail.
 */
export async function askAssistant(
  session: SigningSession,
  apiUrl: string,
  messages: AssistantMessage[],
  options: AskAssistantOptions = {},
): Promise<AssistantAnswer> {
  const base = withoutTrailingSlash(apiUrl);
  const body = JSON.stringify({ messages, ...(options.names === undefined ? {} : { names: options.names }) });
  const response = await signedFetch(
    session,
    `${base}/ai/chat`,
    { method: "POST", headers: { "content-type": "application/json", accept: "text/event-stream" }, body, ...(options.signal ? { signal: options.signal } : {}) },
    { audience: options.audience ?? base, ...(options.fetch ? { fetch: options.fetch } : {}) },
  );
  if (!response.ok || !response.body) throw await refusal(response);
  let text = "";
  for await (const event of readServerSentEvents(response.body)) {
    if (event.event === "delta") {
      const piece = (JSON.parse(event.data) as { text: string }).text;
      text += piece;
      options.onDelta?.(piece);
    } else if (event.event === "done") {
      return { text, finishReason: (JSON.parse(event.data) as { finishReason: string }).finishReason };
    } else if (event.event === "error") {
      const problem = readProblem(JSON.parse(event.data));
      throw new OpenChartError("SERVICE_ERROR", `the AI assistant failed mid-answer (${problem.code}): ${problem.detail}`, { cause: { ...problem, partialText: text } });
    }
  }
  throw new OpenChartError("SERVICE_ERROR", "the AI assistant's answer ended before it was done (connection lost)", { cause: { partialText: text } });
}

async function refusal(response: Response): Promise<OpenChartError> {
  let problem: Partial<Problem> = {};
  try {
    problem = readProblem(await response.json());
  } catch {
    // Not a problem document (a proxy's error page): the status says enough.
  }
  const code: OpenChartErrorCode = response.status === 401 || response.status === 403 ? "NOT_AUTHORIZED" : "SERVICE_ERROR";
  const retryAfter = response.headers.get("retry-after");
  return new OpenChartError(
    code,
    `the AI assistant refused (HTTP ${response.status}${problem.code ? ` ${problem.code}` : ""}): ${problem.detail ?? response.statusText}`,
    { cause: { ...problem, status: response.status, ...(retryAfter === null ? {} : { retryAfterSeconds: Number(retryAfter) }) } },
  );
}
