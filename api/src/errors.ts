import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { API_ERRORS, CodedError, problemTypeOf, type ApiErrorCode, type Problem } from "@openchart/sdk";

// The codes, their statuses and titles, and the problem document are the wire contract, declared in the sdk.
export { ProblemSchema, type ApiErrorCode, type Problem } from "@openchart/sdk";

export interface ApiErrorOptions {
  /** Sent as `Retry-After` (seconds): when a refused caller may try again. */
  retryAfterSeconds?: number;
  /** SHL_PASSCODE: wrong passcodes the link still takes, sent as the IG's `remainingAttempts`. */
  remainingAttempts?: number;
}

/** An error the API answers with: a problem document (RFC 9457, `application/problem+json`) of its code. */
export class ApiError extends CodedError<ApiErrorCode> {
  override readonly name = "ApiError";
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
  readonly remainingAttempts: number | undefined;
  constructor(code: ApiErrorCode, message: string, options: ApiErrorOptions = {}) {
    super(code, message);
    this.status = API_ERRORS[code].status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.remainingAttempts = options.remainingAttempts;
  }
}

export const apiError = (code: ApiErrorCode, detail: string, options?: ApiErrorOptions): ApiError => new ApiError(code, detail, options);

/** A configuration that cannot work: reported at start-up, before the server listens. */
export class ConfigError extends CodedError<"INVALID_CONFIG"> {
  override readonly name = "ConfigError";
  constructor(message: string) {
    super("INVALID_CONFIG", message);
  }
}
export const configError = (message: string): ConfigError => new ConfigError(message);

export function problemOf(error: ApiError): Problem {
  return {
    type: problemTypeOf(error.code),
    title: API_ERRORS[error.code].title,
    status: error.status,
    code: error.code,
    detail: error.message,
    ...(error.remainingAttempts === undefined ? {} : { remainingAttempts: error.remainingAttempts }),
  };
}

export function sendProblem(reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header("retry-after", String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  return reply.code(error.status).type("application/problem+json").send(problemOf(error));
}

/** The code for an error status that some other part (Fastify itself, a plugin) answered with. */
export function codeForStatus(status: number): ApiErrorCode {
  switch (status) {
    case 401:
      return "UNAUTHORIZED";
    case 403:
      return "FORBIDDEN";
    case 404:
      return "NOT_FOUND";
    case 408:
      return "REQUEST_TIMEOUT";
    case 413:
      return "PAYLOAD_TOO_LARGE";
    case 414:
      return "URI_TOO_LONG";
    case 415:
      return "UNSUPPORTED_MEDIA_TYPE";
    case 429:
      return "RATE_LIMITED";
    case 431:
      return "HEADERS_TOO_LARGE";
    case 503:
      return "SERVICE_UNAVAILABLE";
    default:
      return status >= 500 ? "INTERNAL" : "INVALID_REQUEST";
  }
}

/** Maps Fastify's own errors (validation, body limits, unknown routes) and everything else to problems. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) return sendProblem(reply, error);
    if (error.validation) {
      return sendProblem(reply, apiError("INVALID_REQUEST", `${error.validationContext ?? "request"}${describeValidation(error)}`));
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, apiError(codeForStatus(error.statusCode), error.message));
    }
    request.log.error({ err: error }, "unhandled error");
    return sendProblem(reply, apiError("INTERNAL", "an internal error occurred; it has been logged"));
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, apiError("NOT_FOUND", `no route ${request.method} ${request.url.split("?")[0]}`)),
  );
}

/**
 * Fastify's `frameworkErrors`: a URL that is not valid percent-encoding, or a path parameter longer than
 * `maxParamLength`, is refused before routing; without this hook Fastify answers with its own JSON shape.
 */
export function frameworkProblem(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const code = error.code === "FST_ERR_MAX_PARAM_LENGTH" ? "URI_TOO_LONG" : error.code === "FST_ERR_BAD_URL" ? "INVALID_REQUEST" : codeForStatus(error.statusCode ?? 500);
  return sendProblem(reply, apiError(code, error.message));
}

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser cannot read (malformed request line or
 * header, headers over the size limit, too slow to arrive) never reaches a route. It still gets a problem.
 */
export function clientErrorProblem(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const code: ApiErrorCode =
    error.code === "HPE_HEADER_OVERFLOW" ? "HEADERS_TOO_LARGE" : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "REQUEST_TIMEOUT" : "INVALID_REQUEST";
  const problem = problemOf(apiError(code, code === "INVALID_REQUEST" ? "the HTTP request could not be parsed" : API_ERRORS[code].title));
  const body = JSON.stringify(problem);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nConnection: close\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

function describeValidation(error: FastifyError): string {
  const first = error.validation?.[0];
  if (!first) return ` ${error.message}`;
  const where = first.instancePath ? first.instancePath.replaceAll("/", ".") : "";
  return `${where} ${first.message ?? "is invalid"}`;
}
