import { createDatabase } from "@openchart/testkit/postgres";

/**
 * What every API on a PostgreSQL database is given (replicas agree on them; refused at start otherwise):
 * the database, the credential agent's own database on the same server, its key and the token secret.
 */
export async function sharedDatabaseEnv(postgresUrl: string): Promise<Record<string, string>> {
  return {
    API_DATABASE_URL: postgresUrl,
    AGENT_DATABASE_URL: await createDatabase(postgresUrl, "agent"),
    AGENT_SECRET_KEY: "a1".repeat(32),
    API_SESSION_SECRET: "5e".repeat(32),
  };
}
