import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { pinningConfig } from "./config.js";

const ORIGIN = "/ip4/198.51.100.7/tcp/4001/p2p/12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf";

describe("pinningConfig", () => {
  it("is off by default, with working defaults for the rest", () => {
    expect(pinningConfig({})).toEqual({
      service: undefined,
      origins: [],
      maxAttempts: 8,
      retryBaseMs: 2_000,
      retryMaxMs: 600_000,
      statusPollMs: 10_000,
      pollMs: 1_000,
      timeoutMs: 15_000,
      requestsPerDidPerDay: 1_000,
    });
  });

  it("takes a service with its token and origins", () => {
    const config = pinningConfig({ PIN_SERVICE_URL: "https://pins.example.org/api/", PIN_SERVICE_TOKEN: " secret ", PIN_ORIGINS: `${ORIGIN}, /dns4/node.example.org/tcp/4001/p2p/12D3KooWX` });
    expect(config.service).toEqual({ url: "https://pins.example.org/api", token: "secret" });
    expect(config.origins).toHaveLength(2);
  });

  it("refuses a service without a token, a token sent in clear beyond loopback, and origins that name no peer", () => {
    expect(() => pinningConfig({ PIN_SERVICE_URL: "https://pins.example.org" })).toThrow(/PIN_SERVICE_TOKEN must be set/);
    expect(() => pinningConfig({ PIN_SERVICE_URL: "http://pins.example.org", PIN_SERVICE_TOKEN: "t" })).toThrow(/must be https/);
    expect(pinningConfig({ PIN_SERVICE_URL: "http://127.0.0.1:9000", PIN_SERVICE_TOKEN: "t" }).service?.url).toBe("http://127.0.0.1:9000");
    expect(() => pinningConfig({ PIN_ORIGINS: "/ip4/198.51.100.7/tcp/4001" })).toThrow(ConfigError);
    expect(() => pinningConfig({ PIN_SERVICE_URL: "ftp://pins.example.org", PIN_SERVICE_TOKEN: "t" })).toThrow(/PIN_SERVICE_URL/);
  });
});
