import { signedFetch, type SigningSession } from "@openchart/sdk";
// Test-only: the test kit's real did-session fixture (an ethers wallet signs the SIWE CACAO, as in the web app).
import { API_AUDIENCE, APP_DOMAIN, walletSession, type TestWallet } from "@openchart/testkit/session";

export { API_AUDIENCE, APP_DOMAIN };

/** The sign-in settings the API needs to accept the fixture's sessions. */
export const SIGN_IN_ENV = { API_AUTH_DOMAINS: APP_DOMAIN, API_AUTH_AUDIENCE: API_AUDIENCE };

export interface Reply<T = unknown> {
  status: number;
  contentType: string | null;
  body: T;
}

/** A signed-in user of the API: a wallet, its did-session, and JSON calls signed with it. */
export interface User {
  wallet: TestWallet;
  session: SigningSession;
  did: string;
  get<T = Record<string, unknown>>(path: string): Promise<Reply<T>>;
  post<T = Record<string, unknown>>(path: string, body?: unknown): Promise<Reply<T>>;
  put<T = Record<string, unknown>>(path: string, body?: unknown): Promise<Reply<T>>;
}

export async function signedInUser(apiUrl: string, wallet?: TestWallet): Promise<User> {
  const { session, wallet: used } = await walletSession(wallet ? { wallet } : {});
  const call = async <T>(method: string, path: string, body?: unknown): Promise<Reply<T>> => {
    const init = body === undefined ? { method } : { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
    const response = await signedFetch(session, `${apiUrl}${path}`, init, { audience: API_AUDIENCE });
    return readReply<T>(response);
  };
  return {
    wallet: used,
    session,
    did: `did:pkh:eip155:31337:${used.address.toLowerCase()}`,
    get: (path) => call("GET", path),
    post: (path, body = {}) => call("POST", path, body),
    put: (path, body = {}) => call("PUT", path, body),
  };
}

export async function readReply<T>(response: Response): Promise<Reply<T>> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, contentType: response.headers.get("content-type"), body: body as T };
}

/** `POST /anchors` signed by `session`: the queue takes signed submissions only. */
export function postAnchors(
  apiUrl: string,
  session: SigningSession,
  leaves: readonly string[],
  options: { idempotencyKey?: string; signal?: AbortSignal } = {},
): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.idempotencyKey !== undefined) headers["idempotency-key"] = options.idempotencyKey;
  return signedFetch(
    session,
    `${apiUrl}/anchors`,
    { method: "POST", headers, body: JSON.stringify({ leaves }), ...(options.signal ? { signal: options.signal } : {}) },
    { audience: API_AUDIENCE },
  );
}
