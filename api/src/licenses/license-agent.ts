import { createAgent, initIssuer, initPrescriptionRegistry, type OpenChartAgent } from "@openchart/agent";

/** The Veramo agent embedded in the API, with the issuer DID it signs licenses with. */
export interface LicenseAgent {
  agent: OpenChartAgent;
  /** The agent's own issuer (did:key, created on first start). */
  issuer: string;
  /** Issuers whose licenses a presentation may carry: the agent's own plus `AGENT_TRUSTED_ISSUERS`. */
  trustedIssuers: string[];
  /** The agent's DID that signs the prescription status lists (created on first start). */
  registry: string;
  close(): Promise<void>;
}

/**
 * Opens the agent's store (SQLite `<OPENCHART_DATA_DIR>/agent.sqlite`, or `AGENT_DATABASE_URL`) and
 * creates the issuer DID if this is the first start. The agent reads its own keys (AGENT_*) from `env`.
 */
export async function openLicenseAgent(dataDir: string, env: Record<string, string | undefined> = process.env): Promise<LicenseAgent> {
  const agent = await createAgent({ env, dataDir });
  try {
    const issuer = (await initIssuer(agent)).did;
    const registry = await initPrescriptionRegistry(agent);
    const extra = (env.AGENT_TRUSTED_ISSUERS ?? "").split(",").map((did) => did.trim()).filter(Boolean);
    return { agent, issuer, trustedIssuers: [...new Set([issuer, ...extra])], registry, close: () => agent.close() };
  } catch (error) {
    await agent.close();
    throw error;
  }
}
