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
];

export function loggerOptions(level: string): FastifyServerOptions["logger"] {
  return { level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } };
}
