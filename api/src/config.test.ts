import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sourceFiles } from "@openchart/testkit/source-files";
import { LOCAL_DEV_ANCHOR_KEY } from "./anchoring/config.js";
import { checkAnchorKeyForChain, loadConfig } from "./config.js";
import { ConfigError } from "./errors.js";

const AGORA = { AGORA_APP_ID: "a".repeat(32), AGORA_APP_CERTIFICATE: "b".repeat(32) };

describe("loadConfig", () => {
  it("has a working local default for every key", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      rpcUrl: "http://127.0.0.1:8545",
      network: "localhost",
      host: "127.0.0.1",
      port: 8787,
      anchorKey: LOCAL_DEV_ANCHOR_KEY,
      batchSize: 256,
      intervalMs: 5000,
      confirmations: 1,
      maxLeavesPerRequest: 1000,
      maxFeeGwei: 1_000,
      adminToken: undefined,
      ceramicUrl: undefined,
      ipfsUrl: undefined,
    });
    expect(config.databaseUrl).toBe(`sqlite:${path.resolve(".data", "api.sqlite")}`);
    expect(config).toMatchObject({
      corsOrigins: ["http://127.0.0.1:5173", "http://localhost:5173"],
      rateLimitPerMinute: 1200,
      rateLimitAllow: [],
      trustProxy: [],
      bodyLimitBytes: 65_536,
      idempotencyTtlHours: 24,
    });
  });

  it("signs in only the web app's exact host:port, for at most API_SESSION_MAX_DAYS", () => {
    expect(loadConfig({})).toMatchObject({
      authDomains: ["127.0.0.1:8080", "localhost:8080", "127.0.0.1:5173", "localhost:5173"],
      sessionMaxSeconds: 7 * 86_400,
    });
    expect(loadConfig({ API_AUTH_DOMAINS: "app.openchart.org, 127.0.0.1:9000,[::1]:8080", API_SESSION_MAX_DAYS: "1" })).toMatchObject({
      authDomains: ["app.openchart.org", "127.0.0.1:9000", "[::1]:8080"],
      sessionMaxSeconds: 86_400,
    });
    // A bare loopback host would let a page on any local port sign in.
    for (const bare of ["127.0.0.1", "localhost", "[::1]"]) expect(() => loadConfig({ API_AUTH_DOMAINS: bare })).toThrow(/port for a loopback host/);
    for (const bad of ["https://app.openchart.org", "app.openchart.org/x", "user@app.openchart.org", "app openchart"]) {
      expect(() => loadConfig({ API_AUTH_DOMAINS: bad })).toThrow(/host:port/);
    }
    expect(() => loadConfig({ API_SESSION_MAX_DAYS: "0" })).toThrow(/API_SESSION_MAX_DAYS/);
  });

  it("reminds of an appointment an hour ahead, unless API_APPOINTMENT_REMINDER_MINUTES says otherwise (1 minute to a week)", () => {
    expect(loadConfig({}).appointmentReminderMs).toBe(3_600_000);
    expect(loadConfig({ API_APPOINTMENT_REMINDER_MINUTES: "1440" }).appointmentReminderMs).toBe(86_400_000);
    for (const bad of ["0", "10081", "1.5", "soon"]) {
      expect(() => loadConfig({ API_APPOINTMENT_REMINDER_MINUTES: bad })).toThrow(/API_APPOINTMENT_REMINDER_MINUTES must be an integer from 1 to 10080/);
    }
  });

  it("waits 72 hours before guardians may approve a recovery, unless API_RECOVERY_WAIT_HOURS says otherwise (0 included)", () => {
    expect(loadConfig({}).recoveryWaitMs).toBe(72 * 3_600_000);
    expect(loadConfig({ API_RECOVERY_WAIT_HOURS: "0" }).recoveryWaitMs).toBe(0);
    expect(loadConfig({ API_RECOVERY_WAIT_HOURS: "0.5" }).recoveryWaitMs).toBe(1_800_000);
    for (const bad of ["-1", "721", "72h", "1e3"]) {
      expect(() => loadConfig({ API_RECOVERY_WAIT_HOURS: bad })).toThrow(/API_RECOVERY_WAIT_HOURS must be a number of hours from 0 to 720/);
    }
  });

  it("reads the hardening keys", () => {
    expect(
      loadConfig({
        API_CORS_ORIGINS: "https://app.openchart.org, http://localhost:5173",
        API_RATE_LIMIT_PER_MINUTE: "60000",
        API_RATE_LIMIT_ALLOW: "127.0.0.1,::1",
        API_TRUST_PROXY: "10.0.0.0/8,::1",
        API_BODY_LIMIT_BYTES: "131072",
        API_IDEMPOTENCY_TTL_HOURS: "2",
      }),
    ).toMatchObject({
      corsOrigins: ["https://app.openchart.org", "http://localhost:5173"],
      rateLimitPerMinute: 60_000,
      rateLimitAllow: ["127.0.0.1", "::1"],
      trustProxy: ["10.0.0.0/8", "::1"],
      bodyLimitBytes: 131_072,
      idempotencyTtlHours: 2,
    });
  });

  it("reads the environment, and keeps a postgres URL as given", () => {
    const config = loadConfig({
      OPENCHART_DATA_DIR: "/tmp/oc",
      OPENCHART_RPC_URL: "https://rpc-amoy.polygon.technology/",
      API_DATABASE_URL: "postgres://oc@127.0.0.1:5433/openchart",
      ANCHOR_BATCH_SIZE: "64",
      API_ADMIN_TOKEN: "a-long-enough-admin-token",
      OPENCHART_IPFS_URL: "http://127.0.0.1:5001",
    });
    expect(config).toMatchObject({
      rpcUrl: "https://rpc-amoy.polygon.technology",
      databaseUrl: "postgres://oc@127.0.0.1:5433/openchart",
      batchSize: 64,
      adminToken: "a-long-enough-admin-token",
      ipfsUrl: "http://127.0.0.1:5001",
    });
    expect(loadConfig({ OPENCHART_DATA_DIR: "/tmp/oc" }).databaseUrl).toBe("sqlite:/tmp/oc/api.sqlite");
  });

  it.each([
    [{ ANCHOR_BATCH_SIZE: "0" }, /ANCHOR_BATCH_SIZE must be an integer from 1 to 10000, got "0"/],
    [{ API_PORT: "http" }, /API_PORT must be an integer/],
    [{ OPENCHART_RPC_URL: "localhost:8545" }, /OPENCHART_RPC_URL must be an http\(s\) URL/],
    [{ API_DATABASE_URL: "mysql://x" }, /API_DATABASE_URL must be sqlite:<file> or postgres:\/\//],
    [{ API_ANCHOR_KEY: "0x1234" }, /API_ANCHOR_KEY must be a 32-byte hex private key/],
    [{ API_ADMIN_TOKEN: "short" }, /API_ADMIN_TOKEN must be at least 16 characters/],
    [{ API_CORS_ORIGINS: "https://app.openchart.org/" }, /API_CORS_ORIGINS must be a comma-separated list of origins .* got "https:\/\/app.openchart.org\/"/],
    [{ API_CORS_ORIGINS: "*" }, /API_CORS_ORIGINS must be a comma-separated list of origins/],
    [{ API_RATE_LIMIT_PER_MINUTE: "0" }, /API_RATE_LIMIT_PER_MINUTE must be an integer from 1/],
    [{ API_RATE_LIMIT_ALLOW: "localhost" }, /API_RATE_LIMIT_ALLOW must be a comma-separated list of IP addresses, got "localhost"/],
    [{ API_RATE_LIMIT_ALLOW: "10.0.0.0/8" }, /API_RATE_LIMIT_ALLOW must be a comma-separated list of IP addresses, got/],
    [{ API_TRUST_PROXY: "10.0.0.0/33" }, /API_TRUST_PROXY must be a comma-separated list of IP addresses or CIDR ranges/],
    [{ API_BODY_LIMIT_BYTES: "10" }, /API_BODY_LIMIT_BYTES must be an integer from 1024/],
    [{ API_IDEMPOTENCY_TTL_HOURS: "0" }, /API_IDEMPOTENCY_TTL_HOURS must be an integer from 1 to 720/],
  ])("refuses %j with a clear message", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("refuses the public development key for any chain but the local one", () => {
    const config = loadConfig({});
    expect(() => checkAnchorKeyForChain(config, 31337)).not.toThrow();
    expect(() => checkAnchorKeyForChain(config, 137)).toThrow(/public Hardhat development key/);
    expect(() => checkAnchorKeyForChain(loadConfig({ API_ANCHOR_KEY: `0x${"1".repeat(64)}` }), 137)).toThrow(/API_RELAYER_KEY is unset/);
    const keys = { API_ANCHOR_KEY: `0x${"1".repeat(64)}`, API_RELAYER_KEY: `0x${"2".repeat(64)}` };
    expect(() => checkAnchorKeyForChain(loadConfig(keys), 137)).toThrow(/LIVEKIT_API_SECRET is unset/);
    const own = loadConfig({ ...keys, LIVEKIT_API_SECRET: "s".repeat(40) });
    expect(() => checkAnchorKeyForChain(own, 137)).not.toThrow();
    expect(() => checkAnchorKeyForChain(loadConfig({ ...keys, API_VIDEO_PROVIDER: "agora", ...AGORA }), 137)).not.toThrow();
    expect(() => loadConfig({ API_RELAYER_KEY: "0x12" })).toThrow(/API_RELAYER_KEY must be a 32-byte hex private key/);
  });

  it("configures video consults: LiveKit locally by default, Agora on request, and the cache times", () => {
    const config = loadConfig({});
    expect(config.video).toMatchObject({ provider: "livekit", tokenTtlSeconds: 600, livekit: { url: "ws://127.0.0.1:7880", apiKey: "devkey" } });
    expect(config.video.livekit.apiSecret.length).toBeGreaterThanOrEqual(32);
    expect(config).toMatchObject({ licenseRecheckSeconds: 10, consentCacheMs: 2_000 });
    const agora = loadConfig({ API_VIDEO_PROVIDER: "agora", ...AGORA, API_VIDEO_TOKEN_TTL_SECONDS: "120", API_CONSENT_CACHE_MS: "0" });
    expect(agora.video).toMatchObject({ provider: "agora", tokenTtlSeconds: 120, agora: { appId: AGORA.AGORA_APP_ID } });
    expect(agora.consentCacheMs).toBe(0);
  });

  it.each([
    [{ API_VIDEO_PROVIDER: "zoom" }, /API_VIDEO_PROVIDER must be livekit or agora/],
    [{ API_VIDEO_PROVIDER: "agora" }, /needs AGORA_APP_ID and AGORA_APP_CERTIFICATE/],
    [{ LIVEKIT_API_SECRET: "short" }, /LIVEKIT_API_SECRET must be at least 32 characters/],
    [{ LIVEKIT_URL: "http://x" }, /LIVEKIT_URL must be a ws/],
    [{ API_LICENSE_RECHECK_SECONDS: "-1" }, /API_LICENSE_RECHECK_SECONDS must be an integer/],
  ])("refuses the video and cache setting %j", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe(".env.example", () => {
  // Every key the API reads is documented there with a safe local default, and the file as written is a valid
  // configuration: an operator who copies it to .env gets the local platform, not a refusal.
  const root = path.resolve(import.meta.dirname, "..", "..");
  const example = fs.readFileSync(path.join(root, ".env.example"), "utf8");
  const documented = new Map(
    example
      .split("\n")
      .map((line) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [match[1]!, match[2]!]),
  );

  it("documents every key the API's configuration reads", () => {
    const read = new Set<string>();
    for (const file of sourceFiles(path.join(root, "api", "src"))) {
      // A key is read as `int(env, "KEY", ...)` (and the like) or `env.KEY`.
      for (const match of fs.readFileSync(file, "utf8").matchAll(/env, "([A-Z][A-Z0-9_]+)"|env\.([A-Z][A-Z0-9_]+)/g)) read.add((match[1] ?? match[2])!);
    }
    expect(read.size).toBeGreaterThan(50);
    expect([...read].filter((key) => !documented.has(key)).sort()).toEqual([]);
  });

  it("loads as it is written", () => {
    expect(() => loadConfig(Object.fromEntries(documented))).not.toThrow();
  });
});
