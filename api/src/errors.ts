import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type, type Static } from "typebox";

/**
 * Every error the API answers with, in one place: a stable code (clients branch on it), its HTTP
 * status and a short title. Bodies are RFC 9457 problem documents (`application/problem+json`).
 */
const CODES = {
  INVALID_REQUEST: { status: 400, title: "The request is not valid" },
  UNAUTHORIZED: { status: 401, title: "Authentication required" },
  FORBIDDEN: { status: 403, title: "Not allowed" },
  UNKNOWN_LEAF: { status: 404, title: "Unknown leaf" },
  NOT_FOUND: { status: 404, title: "No such resource" },
  IDEMPOTENCY_KEY_REUSED: { status: 409, title: "Idempotency-Key reused with a different body" },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, title: "A request with this Idempotency-Key is still being processed" },
  INVALID_SIGNATURE: { status: 400, title: "The signature is not the patient's" },
  STALE_NONCE: { status: 409, title: "The signed request's nonce is not the patient's current one" },
  CHAIN_REJECTED: { status: 409, title: "The contract refused the request" },
  REQUEST_TIMEOUT: { status: 408, title: "The request took too long to arrive" },
  LICENSE_REFUSED: { status: 403, title: "The license credential was refused" },
  LICENSE_REQUIRED: { status: 403, title: "A verified license is required in this session" },
  NOT_CONSENT_PARTY: { status: 403, title: "Not a party to this consent" },
  CONSENT_INACTIVE: { status: 403, title: "The consent is not active" },
  RATE_LIMITED: { status: 429, title: "Too many requests" },
  PAYLOAD_TOO_LARGE: { status: 413, title: "Request body too large" },
  URI_TOO_LONG: { status: 414, title: "Request path too long" },
  HEADERS_TOO_LARGE: { status: 431, title: "Request headers too large" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "Unsupported media type" },
  SERVICE_UNAVAILABLE: { status: 503, title: "Service unavailable" },
  UPSTREAM_FAILED: { status: 502, title: "A service the API depends on failed" },
  UPSTREAM_TIMEOUT: { status: 504, title: "A service the API depends on did not answer in time" },
  INTERNAL: { status: 500, title: "Internal error" },
} as const;

export type ApiErrorCode = keyof typeof CODES;

export interface ApiErrorOptions {
  /** Sent as `Retry-After` (seconds): when a refused caller may try again. */
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    options: ApiErrorOptions = {},
  ) {
    super(message);
    this.status = CODES[code].status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const apiError = (code: ApiErrorCode, detail: string, options?: ApiErrorOptions): ApiError => new ApiError(code, detail, options);

/** A configuration that cannot work: reported at start-up, before the server listens. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}
export const configError = (message: string): ConfigError => new ConfigError(message);

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.String(),
  },
  { description: "RFC 9457 problem document with a stable `code`" },
);
export type Problem = Static<typeof ProblemSchema>;

export function problemOf(error: ApiError): Problem {
  return {
    type: `https://openchart.dev/problems/${error.code.toLowerCase().replaceAll("_", "-")}`,
    title: CODES[error.code].title,
    status: error.status,
    code: error.code,
    detail: error.message,
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
  const problem = problemOf(apiError(code, code === "INVALID_REQUEST" ? "the HTTP request could not be parsed" : CODES[code].title));
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
