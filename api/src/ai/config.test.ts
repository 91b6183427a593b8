import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { aiConfig } from "./config.js";

describe("aiConfig", () => {
  it("leaves the AI broker off by default, with safe limits", () => {
    const ai = aiConfig({});
    expect(ai.endpoint).toBeUndefined();
    expect(ai).toMatchObject({ timeoutMs: 30_000, limits: { maxMessages: 40, maxMessageChars: 4000, maxTokens: 1024, requestsPerMinute: 6, requestsPerHour: 60, tokensPerDay: 200_000 } });
  });

  it("turns the AI broker on with AI_BASE_URL and AI_MODEL, the key optional", () => {
    const ai = aiConfig({ AI_BASE_URL: "http://127.0.0.1:11434/v1/", AI_MODEL: "llama3.1:8b", AI_MAX_TOKENS: "256", AI_REQUESTS_PER_HOUR: "5", AI_TIMEOUT_MS: "2000" });
    expect(ai.endpoint).toEqual({ baseUrl: "http://127.0.0.1:11434/v1", apiKey: undefined, model: "llama3.1:8b" });
    expect(ai).toMatchObject({ timeoutMs: 2000, limits: { maxTokens: 256, requestsPerHour: 5 } });
    expect(aiConfig({ AI_BASE_URL: "https://llm.example/v1", AI_MODEL: "m", AI_API_KEY: "sk-test" }).endpoint?.apiKey).toBe("sk-test");
  });

  it.each([
    [{ AI_BASE_URL: "http://127.0.0.1:11434/v1" }, /AI_MODEL must name the model to use when AI_BASE_URL is set/],
    [{ AI_BASE_URL: "ollama", AI_MODEL: "m" }, /AI_BASE_URL must be an http\(s\) URL/],
    [{ AI_MAX_TOKENS: "0" }, /AI_MAX_TOKENS must be an integer from 1/],
    [{ AI_TIMEOUT_MS: "soon" }, /AI_TIMEOUT_MS must be an integer/],
  ])("refuses the AI setting %j with a clear message", (env, message) => {
    expect(() => aiConfig(env)).toThrow(ConfigError);
    expect(() => aiConfig(env)).toThrow(message);
  });
});
