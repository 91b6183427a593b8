import { Type, type Static } from "typebox";

/** The configuration keys an operator sets to turn the AI assistant on (the API's `AI_*`; see .env.example). */
export const AI_CONFIG_KEYS = ["AI_BASE_URL", "AI_MODEL", "AI_API_KEY"] as const;

/**
 * `GET /ai/status`: whether the API has a model to send conversations to, so an app can say so before the
 * patient types anything. The endpoint's URL and key stay with the operator.
 */
export const AiStatusSchema = Type.Object({
  configured: Type.Boolean(),
  /** The model's name, when configured. */
  model: Type.Optional(Type.String()),
  /** What to set to turn it on (`AI_API_KEY` only when the service needs one). */
  keys: Type.Array(Type.String()),
});
export type AiStatus = Static<typeof AiStatusSchema>;
