import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { NotificationsSchema } from "@openchart/sdk";
import { Type } from "typebox";
import { callerOf } from "../auth/route-auth.js";
import { ProblemSchema } from "../errors.js";
import type { NotificationStore } from "../store/store.js";

/**
 * `GET /notifications`: what the API has to tell the signed-in DID (guardian duty, recovery steps on either
 * side, devices signed out), newest first. Only the caller's own: the DID is the session's, never a
 * parameter. `after` (the highest id already seen) returns only newer ones.
 */
export const notificationRoutes: FastifyPluginAsyncTypebox<{ notifications: NotificationStore }> = async (app, { notifications }) => {
  app.get(
    "/notifications",
    {
      config: { auth: "signed" },
      schema: {
        summary: "My notifications, newest first",
        tags: ["notifications"],
        security: [{ didSession: [] }],
        querystring: Type.Object(
          {
            after: Type.Integer({ minimum: 0, default: 0, description: "only notifications with an id above this" }),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: NotificationsSchema, 400: ProblemSchema, 401: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request) => ({ notifications: await notifications.list(callerOf(request).did, request.query.after, request.query.limit) }),
  );
};
