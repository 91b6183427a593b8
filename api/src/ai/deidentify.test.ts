import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askAssistant, readServerSentEvents, signedFetch } from "@openchart/sdk";
import { Deidentifier } from "@openchart/sdk/deidentify";
// Test-only: the test kit's real did-session fixture (an ethers wallet signs the SIWE CACAO, as in the web app).
import { API_AUDIENCE, APP_DOMAIN, walletSession } from "@openchart/testkit/session";
import { startFakeChatCompletions, type FakeChatCompletions } from "../../test/fake-chat-completions.js";
import { startInProcessApi, type InProcessApi } from "../../test/in-process-api.js";

// Issue 19: the synthetic note the old hand-written redaction failed on. Every identifier in it must be
// removed on the device (sdk) and, for a client that sent it raw, by the API's second pass; the loopback
// fake model server records what it receives.
const WALLET = "0x8ba1f109551bD432803012645Ac136ddd64DBA72";
const NOTE =
  "Patient Maria Gonzalez, born 03/14/1962, MRN 00458812, SSN 123-45-6789, lives at 42 Elm Street, Springfield IL 62704, " +
  "phone (217) 555-0142, email maria.g@example.com, wallet " + WALLET + ", DID did:pkh:eip155:1:" + WALLET.toLowerCase() +
  ", record kjzl6kcym7w8y7fx0e2dmh4fwl1ncqmcq5s5ym2t6ux5bh5mcz8wmxo5yv6qq3c. Type 2 diabetes, HbA1c 8.1%, on metformin 500 mg bid; " +
  "Parkinson's disease. Seen by Dr. John Smith at St. Mary's Hospital. Her daughter Ana Gonzalez called on 2026-11-02. " +
  "Insurance ID XKJ-4471-9920. IP 192.168.4.17. What should I ask at my next visit?";
const IDENTIFIERS = [
  "Maria", "Gonzalez", "03/14/1962", "00458812", "123-45-6789", "Elm Street", "Springfield", "62704", "555-0142", "maria.g@example.com",
  WALLET.toLowerCase(), "did:pkh", "kjzl6kcym7w8y7fx0e2dmh4fwl1ncqmcq5s5ym2t6ux5bh5mcz8wmxo5yv6qq3c", "John", "Smith", "St. Mary's", "Ana", "2026-11-02",
  "XKJ-4471-9920", "192.168.4.17",
];
/** What must reach the model for it to help: the clinical content. */
const CLINICAL = ["Type 2 diabetes", "HbA1c 8.1%", "metformin 500 mg bid", "Parkinson's disease", "Dr. [NAME_"];

let fake: FakeChatCompletions;
let api: InProcessApi;

beforeAll(async () => {
  fake = await startFakeChatCompletions();
  api = await startInProcessApi({ API_AUTH_DOMAINS: APP_DOMAIN, API_AUTH_AUDIENCE: API_AUDIENCE, AI_BASE_URL: fake.baseUrl, AI_API_KEY: fake.apiKey, AI_MODEL: "fake" });
});

afterAll(async () => {
  await api?.stop();
  await fake?.stop();
});

const asWord = (text: string) => new RegExp(`(?<![\\p{L}\\p{N}])${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`, "iu");

function expectNoIdentifier(wire: string, where: string): void {
  for (const identifier of IDENTIFIERS) expect(wire, `${identifier} reached ${where}`).not.toMatch(asWord(identifier));
  for (const kept of CLINICAL) expect(wire, `${kept} was lost on the way to ${where}`).toContain(kept);
}

describe("de-identification before the AI call (issue 19)", () => {
  it("askAssistant de-identifies on the device: neither the API nor the fake model receives an identifier of the note, and the answer comes back with real names", async () => {
    const { session } = await walletSession();
    const leftTheDevice: string[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      leftTheDevice.push(String(init?.body ?? ""));
      return fetch(input, init);
    };
    fake.reply({ kind: "stream", chunks: ["Ask [NA", "ME_2] whether ", "[NAME_1]'s A1c target fits."] });
    let shownBeforeSending: string[] = [];
    const answer = await askAssistant(session, api.url, [{ role: "user", content: NOTE }], {
      audience: API_AUDIENCE,
      fetch: recordingFetch,
      terms: { names: ["Maria Gonzalez"], birthDate: "1962-03-14" },
      onSend: (sent) => (shownBeforeSending = sent.map((m) => m.content)),
    });
    expect(leftTheDevice).toHaveLength(1);
    expectNoIdentifier(leftTheDevice[0]!, "the API");
    expectNoIdentifier(JSON.stringify(fake.requests.at(-1)!.body), "the model");
    // The patient saw exactly what left: the request body is those messages, byte for byte.
    expect(JSON.parse(leftTheDevice[0]!).messages.map((m: { content: string }) => m.content)).toEqual(shownBeforeSending);
    expect(answer.sent.map((m) => m.content)).toEqual(shownBeforeSending);
    expect(answer.sentText).toBe("Ask [NAME_2] whether [NAME_1]'s A1c target fits.");
    expect(answer.text).toBe("Ask John Smith whether Maria Gonzalez's A1c target fits.");
  });

  it("the API's second pass removes them from a client that sent the note raw", async () => {
    const { session } = await walletSession();
    const response = await signedFetch(
      session,
      `${api.url}/ai/chat`,
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ messages: [{ role: "user", content: NOTE }] }) },
      { audience: API_AUDIENCE },
    );
    expect(response.status).toBe(200);
    for await (const _event of readServerSentEvents(response.body!)) void _event;
    expectNoIdentifier(JSON.stringify(fake.requests.at(-1)!.body), "the model");
  });

  it("the second pass keeps the device's placeholders as they are, and the conversation's numbering from turn to turn", async () => {
    const { session } = await walletSession();
    const conversation = new Deidentifier({ dateShiftDays: 45 });
    const history = [
      { role: "user" as const, content: "My wife Helen Park was admitted on 2025-01-04 to Mercy General Hospital." },
      { role: "assistant" as const, content: "I am sorry to hear that. How is Helen now?" },
      { role: "user" as const, content: "Helen was discharged on 2025-01-10. Dr. Okafor wants a follow-up." },
    ];
    await askAssistant(session, api.url, history, { audience: API_AUDIENCE, deidentifier: conversation });
    const sent = fake.requests.at(-1)!.body.messages.slice(1).map((m) => m.content);
    expect(sent).toEqual([
      "My wife [NAME_1] was admitted on [DATE:2025-02-18] to [FACILITY_1].",
      "I am sorry to hear that. How is [NAME_1] now?",
      "[NAME_1] was discharged on [DATE:2025-02-24]. Dr. [NAME_2] wants a follow-up.",
    ]);
  });
});
