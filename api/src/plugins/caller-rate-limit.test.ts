import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInProcessApi, type InProcessApi } from "../../test/in-process-api.js";
import { SIGN_IN_ENV, signedInUser } from "../../test/signed-client.js";

// Issue 13, item 10: rate limits per DID as well as per address. Every request here comes from loopback,
// which API_RATE_LIMIT_ALLOW exempts from the per-address limit (as a reverse proxy's address would be
// counted for everyone behind it): only the per-DID limit can stop this caller.
let api: InProcessApi;

beforeAll(async () => {
  api = await startInProcessApi({ ...SIGN_IN_ENV, API_RATE_LIMIT_ALLOW: "127.0.0.1,::1", API_RATE_LIMIT_PER_DID_PER_MINUTE: "3" });
});

afterAll(async () => {
  await api?.stop();
});

describe("the per-DID rate limit", () => {
  it("refuses a signed-in caller beyond API_RATE_LIMIT_PER_DID_PER_MINUTE with 429 and Retry-After, and only that caller", async () => {
    const busy = await signedInUser(api.url);
    const calm = await signedInUser(api.url);
    for (let i = 0; i < 3; i++) expect((await busy.get("/auth/me")).status).toBe(200);
    const refused = await busy.get<{ code: string; detail: string }>("/auth/me");
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: "RATE_LIMITED", detail: expect.stringMatching(/per minute from this caller/) });
    expect((await calm.get("/auth/me")).status).toBe(200);
    // Unsigned requests from the same address are not the caller's.
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
  });
});
