import type { OpenChartAgent } from "../agent.js";
import { AgentError } from "../errors.js";

const LIST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-(revocation|suspension)$/;

/**
 * The signed status list credential (compact JWT, media type `application/vc+jwt`) for the list id
 * in a status URL's last path segment, or null when the id is malformed or unknown. The API's status
 * endpoint serves exactly this.
 */
export async function statusListCredential(agent: OpenChartAgent, listId: string): Promise<string | null> {
  if (typeof listId !== "string" || !LIST_ID.test(listId)) return null;
  try {
    return await agent.veramo.statusListGetCredential({ statusListCredential: `${agent.config.statusBaseUrl}/${listId}` });
  } catch (error) {
    if (error instanceof AgentError && error.code === "STATUS_LIST_NOT_FOUND") return null;
    throw error;
  }
}
