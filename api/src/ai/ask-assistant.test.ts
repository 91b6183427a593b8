import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askAssistant, OpenChartError } from "@openchart/sdk";
// Test-only: the test kit's real did-session fixture (an ethers wallet signs the SIWE CACAO, as in the web app).
import { API_AUDIENCE, APP_DOMAIN, walletSession } from "@openchart/testkit/session";
import { startFakeChatCompletions, type FakeChatCompletions } from "../../test/fake-chat-completions.js";
import { startInProcessApi, type InProcessApi } from "../../test/in-process-api.js";

// The sdk's client (sdk/src/ai.ts) against the real route and a loopback model: it lives here because
// the sdk depends on no other workspace, while the api may use the sdk.
let fake: FakeChatCompletions;
let api: InProcessApi;
let off: InProcessApi;

beforeAll(async () => {
  fake = await startFakeChatCompletions();
  const signIn = { API_AUTH_DOMAINS: APP_DOMAIN, API_AUTH_AUDIENCE: API_AUDIENCE };
  api = await startInProcessApi({ ...signIn, AI_BASE_URL: fake.baseUrl, AI_API_KEY: fake.apiKey, AI_MODEL: "fake", AI_TIMEOUT_MS: "2000" });
  off = await startInProcessApi(signIn);
});

afterAll(async () => {
  await api?.stop();
  await off?.stop();
  await fake?.stop();
});

const options = { audience: API_AUDIENCE };

describe("askAssistant (sdk) against POST /ai/chat", () => {
  it("hands each piece of the answer to onDelta as it arrives and resolves with the whole answer", async () => {
    const { session } = await walletSession();
    let release!: () => void;
    fake.reply({ kind: "stream", chunks: ["Vitamin D ", "helps bones", "."], finishReason: "length", hold: { after: 1, until: new Promise<void>((r) => (release = r)) } });
    const pieces: string[] = [];
    const answer = askAssistant(session, api.url, [{ role: "user", content: "What does vitamin D do for Hanna Berg?" }], {
      ...options,
      terms: { names: ["Hanna Berg"] },
      onDelta: (text) => {
        pieces.push(text);
        if (pieces.length === 1) release();
      },
    });
    expect(await answer).toMatchObject({ text: "Vitamin D helps bones.", finishReason: "length" });
    expect(pieces).toEqual(["Vitamin D ", "helps bones", "."]);
    expect(fake.requests.at(-1)!.body.messages.at(-1)!.content).toBe("What does vitamin D do for [NAME_1]?");
  });

  it("rejects with the API's problem when the assistant is off", async () => {
    const { session } = await walletSession();
    const refused = askAssistant(session, off.url, [{ role: "user", content: "hi" }], options);
    await expect(refused).rejects.toThrow(OpenChartError);
    await expect(askAssistant(session, off.url, [{ role: "user", content: "hi" }], options)).rejects.toThrow(/HTTP 503 SERVICE_UNAVAILABLE\): AI_NOT_CONFIGURED/);
  });

  // The upstream stalls after its first piece; AI_TIMEOUT_MS must be long enough for that piece to arrive first
  // (at 400 ms a loaded machine timed out before it: a 504, not a mid-answer failure).
  it("rejects with the code of a mid-answer failure, keeping the partial answer in the cause", async () => {
    const { session } = await walletSession();
    fake.reply({ kind: "stream", chunks: ["Half an ", "answer"], stallAfter: 1 });
    const error = (await askAssistant(session, api.url, [{ role: "user", content: "hi" }], options).catch((e: unknown) => e)) as OpenChartError;
    expect(error.message).toMatch(/failed mid-answer \(UPSTREAM_TIMEOUT\)/);
    expect(error.cause).toMatchObject({ partialText: "Half an " });
  });

  it("stops the answer, and the model's request, when the caller aborts", async () => {
    const { session } = await walletSession();
    fake.reply({ kind: "stream", chunks: Array.from({ length: 100 }, () => "word "), intervalMs: 20 });
    const caller = new AbortController();
    const answer = askAssistant(session, api.url, [{ role: "user", content: "hi" }], { ...options, signal: caller.signal, onDelta: () => caller.abort() });
    await expect(answer).rejects.toThrow(/abort/i);
    expect(await fake.requests.at(-1)!.ended).toBe("closed-by-client");
  });
});
