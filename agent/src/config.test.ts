import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadAgentConfig } from "./config.js";

describe("loadAgentConfig", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-config-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it("has working local defaults and creates a private secret key file once", () => {
    const dir = tempDir();
    const config = loadAgentConfig({ OPENCHART_DATA_DIR: dir });
    expect(config.sqlitePath).toBe(path.join(dir, "agent.sqlite"));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.statusBaseUrl).toBe("http://127.0.0.1:8787/credentials/status");
    expect(config.challengeTtlSeconds).toBe(300);
    expect(config.secretKey).toMatch(/^[0-9a-f]{64}$/);
    const keyFile = path.join(dir, "agent-secret.key");
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(loadAgentConfig({ OPENCHART_DATA_DIR: dir }).secretKey).toBe(config.secretKey);
  });

  it("reads every key from the environment", () => {
    const config = loadAgentConfig({
      OPENCHART_DATA_DIR: "/var/lib/openchart",
      OPENCHART_API_URL: "https://api.example.org/",
      OPENCHART_CHAIN_ID: "137",
      AGENT_SECRET_KEY: "ab".repeat(32),
      AGENT_DATABASE_URL: "postgresql://agent@db.internal/agent",
      AGENT_CHALLENGE_TTL_SECONDS: "60",
      AGENT_STATUS_LIST_TTL_SECONDS: "5",
    });
    expect(config).toMatchObject({
      databaseUrl: "postgresql://agent@db.internal/agent",
      statusBaseUrl: "https://api.example.org/credentials/status",
      chainId: 137,
      challengeTtlSeconds: 60,
      statusListTtlSeconds: 5,
    });
  });

  it("refuses bad values with the name of the key", () => {
    const dir = tempDir();
    expect(() => loadAgentConfig({ OPENCHART_DATA_DIR: dir, AGENT_SECRET_KEY: "short" })).toThrow(/AGENT_SECRET_KEY must be 64 hex/);
    expect(() => loadAgentConfig({ OPENCHART_DATA_DIR: dir, AGENT_DATABASE_URL: "mysql://x" })).toThrow(/AGENT_DATABASE_URL must be a postgres/);
    expect(() => loadAgentConfig({ OPENCHART_DATA_DIR: dir, AGENT_CHALLENGE_TTL_SECONDS: "-1" })).toThrow(/AGENT_CHALLENGE_TTL_SECONDS/);
    expect(() => loadAgentConfig({ OPENCHART_DATA_DIR: dir, AGENT_STATUS_BASE_URL: "not a url" })).toThrow(/AGENT_STATUS_BASE_URL/);
  });
});
