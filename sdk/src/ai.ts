import { readProblem, type Problem } from "./api/problem.js";
import { withoutTrailingSlash } from "./api/url.js";
import { signedFetch, type SigningSession } from "./auth/index.js";
import { OpenChartError, type OpenChartErrorCode } from "./errors.js";
import { readServerSentEvents } from "./sse.js";
// Types only: the de-identifier (and its name recognizer) is loaded when the assistant is first asked.
import type { Deidentifier, PatientTerms } from "./deidentify/index.js";

export interface AssistantMessage {
  role: "user" | "assistant";
  content: string;
}

export interface AskAssistantOptions {
  /** Called with each piece of the answer as it arrives. */
  onDelta?: (text: string) => void;
  /**
   * This conversation's de-identifier: keep one per conversation so placeholders and the date shift stay
   * the same from turn to turn. By default a new one (with `terms`) for this call.
   */
  deidentifier?: Deidentifier;
  /** The patient's own terms from their profile (name, date of birth, address): always removed on this device. */
  terms?: PatientTerms;
  /** Called with the messages exactly as they leave the device, before they are sent. */
  onSend?: (sent: AssistantMessage[]) => void;
  /** The API's audience in signed requests; defaults to `apiUrl`. */
  audience?: string;
  /** Aborting stops the answer: the API cancels the model's request too. */
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export interface AssistantAnswer {
  /** The answer with this conversation's placeholders put back (for the patient's eyes only). */
  text: string;
  /** The answer exactly as the model wrote it, placeholders and all. */
  sentText: string;
  /** The conversation exactly as it left the device. */
  sent: AssistantMessage[];
  /** The model's reason to stop: "stop", "length" (AI_MAX_TOKENS reached)... */
  finishReason: string;
}

/**
 * Asks the API's AI assistant (`POST /ai/chat`, signed with the did-session) and reads its streamed
 * answer. The conversation is de-identified here, on the device, before anything is sent: names,
 * places smaller than a state, dates (shifted), contacts and identifying numbers become placeholders
 * (sdk/src/deidentify/); the API and the model see only those. The answer is mapped back for the
 * patient. Runs in browsers and Node alike (fetch + ReadableStream). Resolves with the whole answer;
 * rejects with an OpenChartError whose message carries the API's problem code and detail.
 */
export async function askAssistant(
  session: SigningSession,
  apiUrl: string,
  messages: AssistantMessage[],
  options: AskAssistantOptions = {},
): Promise<AssistantAnswer> {
  const base = withoutTrailingSlash(apiUrl);
  const deidentifier = options.deidentifier ?? new (await import("./deidentify/index.js")).Deidentifier(options.terms ? { terms: options.terms } : {});
  const sent = deidentifier.deidentifyMessages(messages).messages.map(({ role, content }) => ({ role, content }));
  options.onSend?.(sent);
  const body = JSON.stringify({ messages: sent });
  const response = await signedFetch(
    session,
    `${base}/ai/chat`,
    { method: "POST", headers: { "content-type": "application/json", accept: "text/event-stream" }, body, ...(options.signal ? { signal: options.signal } : {}) },
    { audience: options.audience ?? base, ...(options.fetch ? { fetch: options.fetch } : {}) },
  );
  if (!response.ok || !response.body) throw await refusal(response);
  let text = "";
  let sentText = "";
  const shown = deidentifier.reidentifyStream();
  const show = (piece: string) => {
    if (piece === "") return;
    text += piece;
    options.onDelta?.(piece);
  };
  for await (const event of readServerSentEvents(response.body)) {
    if (event.event === "delta") {
      const piece = (JSON.parse(event.data) as { text: string }).text;
      sentText += piece;
      show(shown.push(piece));
    } else if (event.event === "done") {
      show(shown.end());
      return { text, sentText, sent, finishReason: (JSON.parse(event.data) as { finishReason: string }).finishReason };
    } else if (event.event === "error") {
      show(shown.end());
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
