import { randomUUID } from "node:crypto";
import type { FastifyServerOptions } from "fastify";

/**
 * Pino options: JSON lines, with keys, tokens and anything that could be content replaced by
 * "[redacted]" wherever it appears (request headers, error objects, our own log fields).
 */
export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["idempotency-key"]',
  "*.anchorKey",
  "*.adminToken",
  "*.apiKey",
  "*.messages",
  "*.names",
  "*.privateKey",
  "*.token",
  "*.rawTx",
  "*.content",
  "*.document",
  "*.plaintext",
  "*.body",
  "config.anchorKey",
  "config.adminToken",
  "config.ai.endpoint.apiKey",
  "config.pinning.service.token",
];

/**
 * The request as logged: its path without the query string, and with any DID or address in the path
 * replaced. A query may name a DID or an address (`GET /audit?subject=did:pkh:...`), and so may a path
 * (`GET /doctors/did:pkh:...`): a log line tying a caller's address to a doctor is what issue 12 forbids.
 */
export function requestForLog(request: { method: string; url: string; headers: Record<string, unknown>; socket?: { remoteAddress?: string } }): Record<string, unknown> {
  return { method: request.method, url: pathForLog(request.url), host: request.headers.host, remoteAddress: request.socket?.remoteAddress };
}

export function pathForLog(url: string): string {
  return url
    .split("?")[0]!
    // A SMART Health Link's manifest or file URL is a bearer secret: a log reader must not be able to replay it.
    .replace(/^\/shl\/([mf])\/[^/]+/, "/shl/$1/[secret]")
    .replace(/did(:|%3a)[^/]*/gi, "[did]")
    .replace(/0x[0-9a-f]{40}(?![0-9a-f])/gi, "[address]");
}

/** The API's logger: to standard output, or to `stream` (tests that scan what was logged). */
export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions["logger"] {
  return { level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" }, serializers: { req: requestForLog }, ...(stream ? { stream } : {}) };
}

/**
 * Every request's id (`reqId` on each of its log lines, `x-request-id` on its answer): a random UUID, so
 * ids are unique across replicas and restarts (Fastify's own are a per-process counter). An id a client
 * or proxy sends is not taken: it could carry anything into the logs, a DID included.
 */
export const REQUEST_ID_OPTIONS = { genReqId: () => randomUUID(), requestIdHeader: false } as const satisfies FastifyServerOptions;
export const REQUEST_ID_HEADER = "x-request-id";
