import { signedFetch, type SigningSession } from "@openchart/sdk";
import { problemError, UserFacingError } from "./problems";

export interface ApiTarget {
  apiUrl: string;
  apiAudience: string;
}

async function answerOf<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) throw problemError(response.status, body);
  return body as T;
}

function networkError(error: unknown): UserFacingError {
  return new UserFacingError("The OpenChart service could not be reached. Try again in a moment.", "NETWORK", (error as Error).message);
}

/** Calls the OpenChart API; requests are signed with the did-session when one is given. */
export class ApiClient {
  constructor(
    private readonly target: ApiTarget,
    private readonly session?: SigningSession,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  /** A public (unsigned) GET. */
  async get<T>(path: string): Promise<T> {
    const response = await this.fetchImpl(`${this.target.apiUrl}${path}`).catch((error: unknown) => {
      throw networkError(error);
    });
    return answerOf<T>(response);
  }

  /** A public (unsigned) POST of JSON: for a request that must not name the caller (the access log's read). */
  async post<T>(path: string, body: unknown): Promise<T> {
    const init = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
    const response = await this.fetchImpl(`${this.target.apiUrl}${path}`, init).catch((error: unknown) => {
      throw networkError(error);
    });
    return answerOf<T>(response);
  }

  /**
   * A request signed by the session key: the wallet is not asked again. A POST carries an Idempotency-Key:
   * `idempotencyKey` when the caller keeps one across its own retries (a booking the patient sends again).
   */
  async signed<T>(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown, options: { idempotencyKey?: string } = {}): Promise<T> {
    if (!this.session) throw new UserFacingError("Sign in first.", "UNAUTHORIZED");
    const headers: Record<string, string> = {};
    let payload: string | undefined;
    if (method !== "GET" && method !== "DELETE") {
      headers["content-type"] = "application/json";
      // The API replays the first answer for a repeated key, so the one retry below never issues or relays twice.
      if (method === "POST") headers["idempotency-key"] = options.idempotencyKey ?? crypto.randomUUID();
      payload = JSON.stringify(body ?? {});
    }
    const send = () =>
      signedFetch(
        this.session!,
        `${this.target.apiUrl}${path}`,
        { method, headers, ...(payload === undefined ? {} : { body: payload }) },
        { audience: this.target.apiAudience, fetch: this.fetchImpl },
      );
    // A connection lost after the request left may have done the work: retry once, newly signed (a signature's
    // nonce is single use) but with the same Idempotency-Key, so the API answers what it already did.
    const response = await send()
      .catch((error: unknown) => {
        // PUT replaces with the same body, DELETE deletes once: sending either twice does what sending it once does.
        if (error instanceof UserFacingError || method === "GET") throw error;
        return send();
      })
      .catch((error: unknown) => {
        if (error instanceof UserFacingError) throw error;
        throw networkError(error);
      });
    return answerOf<T>(response);
  }
}
