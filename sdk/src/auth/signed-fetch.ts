import { invalidInput } from "../errors.js";
import { signRequest, type SigningSession } from "./sign-request.js";

export interface SignedFetchInit {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as given and hashed as given: a string (UTF-8) or bytes, never a stream or FormData. */
  body?: string | Uint8Array;
  signal?: AbortSignal;
}

export interface SignedFetchOptions {
  /** The API's audience, as configured on the verifier. */
  audience: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

/**
 * `fetch` with the request signed by the session key: what the web app calls for every API request after
 * the one wallet signature of sign-in. The signed path is the URL's path and query, as the server sees them.
 */
export async function signedFetch(
  session: SigningSession,
  url: string | URL,
  init: SignedFetchInit,
  options: SignedFetchOptions,
): Promise<Response> {
  const target = new URL(url);
  if (init.body !== undefined && typeof init.body !== "string" && !(init.body instanceof Uint8Array)) {
    throw invalidInput("signedFetch sends string or Uint8Array bodies only: the signature covers the exact bytes");
  }
  const method = init.method ?? "GET";
  const signed = await signRequest(session, { method, path: `${target.pathname}${target.search}`, body: init.body }, { audience: options.audience });
  return (options.fetch ?? fetch)(target, {
    method,
    headers: { ...init.headers, ...signed },
    // TypeScript types fetch bodies as ArrayBuffer-backed views; any Uint8Array a caller hashes is sent as is.
    ...(init.body === undefined ? {} : { body: init.body as BodyInit }),
    ...(init.signal === undefined ? {} : { signal: init.signal }),
  });
}
