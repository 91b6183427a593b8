import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import fp from "fastify-plugin";
import { Type } from "typebox";
import { apiError, ProblemSchema } from "../errors.js";
import { bearerOf, sameSecret } from "../auth/same-secret.js";
import type { ApiMetrics } from "./api-metrics.js";

/**
 * `GET /metrics` in Prometheus' text format, behind `API_METRICS_TOKEN` (a bearer token; unset: closed).
 * The metrics carry no per-caller data, but request counts by route over time still say when the service
 * is used for what: an operator's view, not a public one.
 */
export const metricsRoutes: FastifyPluginAsyncTypebox<{ metrics: ApiMetrics; token: string | undefined }> = async (app, { metrics, token }) => {
  app.get(
    "/metrics",
    {
      schema: {
        summary: "Prometheus metrics: request rates, batch sizes, queue depth, anchoring lag, gas spent (bearer API_METRICS_TOKEN)",
        tags: ["health"],
        security: [{ metricsToken: [] }],
        response: {
          200: { description: "Prometheus text exposition format", content: { "text/plain": { schema: Type.String() } } },
          401: ProblemSchema,
          403: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const presented = bearerOf(request.headers.authorization);
      if (token === undefined) throw apiError("FORBIDDEN", "metrics are closed: API_METRICS_TOKEN is not configured");
      if (presented === undefined) throw apiError("UNAUTHORIZED", "send Authorization: Bearer <API_METRICS_TOKEN>");
      if (!sameSecret(presented, token)) throw apiError("FORBIDDEN", "the metrics token is not valid");
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  );
};

/** Counts every answered request by method, route pattern (never the path: it may hold a DID) and status. */
export const countRequests = fp<{ metrics: ApiMetrics }>(
  async (app, { metrics }) => {
    app.addHook("onResponse", async (request, reply) => {
      const route = request.routeOptions.url ?? "unmatched";
      metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      metrics.requestSeconds.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });
  },
  { name: "openchart-count-requests" },
);
