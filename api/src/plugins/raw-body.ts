import type { FastifyInstance } from "fastify";
import { apiError } from "../errors.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The JSON body exactly as received: a session-signed request's JWS covers these bytes, not a re-serialisation. */
    rawBody?: string;
  }
}

// JSON exchanged between systems must be UTF-8 (RFC 8259): bytes that are not are refused, not
// replaced with U+FFFD, so that what a signature covers is exactly what the API reads.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Replaces Fastify's JSON parser with one that keeps the raw text beside the parsed (prototype-poisoning-safe) body. */
export function keepRawJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(apiError("INVALID_REQUEST", "the body is not valid UTF-8"), undefined);
      return;
    }
    request.rawBody = text;
    parseJson(request, text, done);
  });
}
