import { createAgent, initIssuer } from "@openchart/agent";

/**
 * The agent's issuer DID, created once in the data directory's agent database (as `openchart-agent
 * issuer init` does), so the API, which embeds the same agent, signs licenses with it.
 */
export async function ensureIssuerDid(env: Record<string, string | undefined>): Promise<string> {
  const agent = await createAgent({ env });
  try {
    return (await initIssuer(agent)).did;
  } finally {
    await agent.close();
  }
}
