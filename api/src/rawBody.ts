import type { FastifyInstance } from "fastify";

declare module "fastify" {
  interface FastifyRequest {
    /** The JSON body exactly as received: a session-signed request's JWS covers these bytes, not a re-serialisation. */
    rawBody?: string;
  }
}

/** Replaces Fastify's JSON parser with one that keeps the raw text beside the parsed (prototype-poisoning-safe) body. */
export function keepRawJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    request.rawBody = body as string;
    parseJson(request, body as string, done);
  });
}
