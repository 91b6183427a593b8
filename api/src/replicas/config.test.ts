import { describe, expect, it } from "vitest";
import { checkSharedDatabaseConfig, replicasConfig } from "./config.js";

describe("replica configuration", () => {
  it("reads ANCHOR_LEASE_MS within its bounds", () => {
    expect(replicasConfig({})).toEqual({ batcherLeaseMs: 5_000 });
    expect(replicasConfig({ ANCHOR_LEASE_MS: "1500" })).toEqual({ batcherLeaseMs: 1_500 });
    expect(() => replicasConfig({ ANCHOR_LEASE_MS: "100" })).toThrow(/ANCHOR_LEASE_MS must be an integer from 500 to 600000/);
  });

  it("refuses a server on a shared database that does not share the replicas' secrets, naming every missing key", () => {
    expect(() => checkSharedDatabaseConfig({ AGENT_DATABASE_URL: "postgres://db/agent" })).toThrow(
      /API_DATABASE_URL is PostgreSQL, which API replicas share: set API_SESSION_SECRET, AGENT_SECRET_KEY \(the same on every replica/,
    );
    expect(() => checkSharedDatabaseConfig({ API_SESSION_SECRET: "5e".repeat(32), AGENT_DATABASE_URL: "postgres://db/agent", AGENT_SECRET_KEY: "a1".repeat(32) })).not.toThrow();
  });
});
