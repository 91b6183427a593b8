import { readProblem } from "./api/problem.js";
import { withoutTrailingSlash } from "./api/url.js";
import { OpenChartError } from "./errors.js";

export interface ClientOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * One call to an OpenChart API route, with a timeout: the response when it is a success; otherwise an
 * `OpenChartError` naming `service`, NOT_FOUND for a 404 and SERVICE_ERROR for the rest, whose message
 * carries the status, the problem's code and its detail.
 */
export async function callApi(
  service: string,
  apiUrl: string,
  route: string,
  options: ClientOptions,
  send: (url: string, init: { signal: AbortSignal }) => Promise<Response>,
): Promise<Response> {
  const url = `${withoutTrailingSlash(apiUrl)}${route}`;
  let response: Response;
  try {
    response = await send(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
  } catch (error) {
    throw new OpenChartError("SERVICE_ERROR", `cannot reach the ${service} at ${url}: ${(error as Error).message}`);
  }
  if (response.ok) return response;
  const problem = readProblem(await response.json().catch(() => ({})));
  const what = `${response.status}${problem.code ? ` ${problem.code}` : ""}: ${problem.detail ?? response.statusText}`;
  throw new OpenChartError(response.status === 404 ? "NOT_FOUND" : "SERVICE_ERROR", `the ${service} answered ${what}`);
}
