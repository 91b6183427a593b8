import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { createDatabase } from "@openchart/testkit/postgres";

/** The data stores every store-touching test runs against: SQLite always, PostgreSQL from the global setup. */
export const BACKENDS = ["sqlite", "postgres"] as const;
export type Backend = (typeof BACKENDS)[number];

/** Agent options selecting the backend; PostgreSQL gets a fresh database each call. */
export async function backendOptions(backend: Backend): Promise<{ databaseUrl?: string }> {
  if (backend === "sqlite") return {};
  return { databaseUrl: await createDatabase(inject("postgresUrl"), `agent_${randomBytes(6).toString("hex")}`) };
}
