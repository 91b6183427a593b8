import { describe, expect, it } from "vitest";
import { shlConfig } from "./config.js";

describe("SMART Health Links configuration", () => {
  it("defaults to the API's URL, 10 attempts, file URLs of one hour", () => {
    expect(shlConfig({ OPENCHART_API_URL: "https://api.example.org/" })).toEqual({
      baseUrl: "https://api.example.org",
      passcodeAttempts: 10,
      fileUrlSeconds: 3600,
      maxBytes: 16 * 1024 * 1024,
      maxActivePerDid: 50,
    });
  });

  it.each([
    ["a base URL that would make manifest URLs longer than the IG's 128 characters", { SHL_BASE_URL: `https://example.org/${"p".repeat(60)}` }, /SHL_BASE_URL must have at most 78 characters/],
    ["file URLs living over the IG's hour", { SHL_FILE_URL_SECONDS: "3601" }, /SHL_FILE_URL_SECONDS must be an integer from 1 to 3600/],
    ["no passcode attempts", { SHL_PASSCODE_ATTEMPTS: "0" }, /SHL_PASSCODE_ATTEMPTS/],
  ])("refuses %s", (_what, env, message) => {
    expect(() => shlConfig(env)).toThrow(message);
  });
});
