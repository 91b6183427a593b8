import { createAgent, initIssuer, issueLicense, specialtyFor } from "@openchart/agent";

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

export interface DemoLicense {
  id: string;
  jwt: string;
}

/** Issues the demo doctor's license credential with the local issuer, straight into the agent database. */
export async function issueDemoLicense(env: Record<string, string | undefined>, subject: string): Promise<DemoLicense> {
  const agent = await createAgent({ env });
  try {
    const issuer = await initIssuer(agent);
    const validFrom = new Date();
    const issued = await issueLicense(agent, issuer.did, {
      subject,
      licenseNumber: "DEMO-0001",
      specialty: specialtyFor("394814009")!,
      jurisdiction: "Demo Medical Board",
      validFrom,
      validUntil: new Date(validFrom.getTime() + 365 * 86_400_000),
    });
    return { id: issued.id, jwt: issued.jwt };
  } finally {
    await agent.close();
  }
}
