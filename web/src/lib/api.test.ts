import { describe, expect, it } from "vitest";
// Test-only: the test kit's real did-session fixture (an ethers wallet signs the SIWE CACAO, as a browser wallet would).
import { walletSession } from "@openchart/testkit/session";
import { ApiClient } from "./api";
import { UserFacingError } from "./problems";

function fakeFetch(status: number, body: unknown, seen: Request[] = []): typeof fetch {
  return async (input, init) => {
    seen.push(new Request(input as string, init));
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
}

describe("ApiClient", () => {
  const target = { apiUrl: "http://127.0.0.1:1", apiAudience: "http://127.0.0.1:1" };

  it("returns the JSON of a public GET", async () => {
    const seen: Request[] = [];
    const api = new ApiClient(target, undefined, fakeFetch(200, { doctor: { did: "d" } }, seen));
    await expect(api.get("/doctors/d")).resolves.toEqual({ doctor: { did: "d" } });
    expect(seen[0]!.url).toBe("http://127.0.0.1:1/doctors/d");
  });

  it("turns a problem document into a sentence", async () => {
    const api = new ApiClient(target, undefined, fakeFetch(403, { code: "LICENSE_REFUSED", detail: "status: revoked" }));
    const error = await api.get("/doctors/d").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error).toMatchObject({ code: "LICENSE_REFUSED", detail: "status: revoked" });
  });

  it("refuses a signed request without a session, in words", async () => {
    const api = new ApiClient(target, undefined, fakeFetch(200, {}));
    await expect(api.signed("POST", "/licenses", {})).rejects.toThrow("Sign in first.");
  });

  it("says the service is unreachable when the connection fails", async () => {
    const api = new ApiClient(target, undefined, async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(api.get("/healthz")).rejects.toMatchObject({ code: "NETWORK" });
  });

  it("retries a signed POST once after a lost connection, newly signed, with the same Idempotency-Key", async () => {
    const { session } = await walletSession();
    const seen: Request[] = [];
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      seen.push(new Request(input as string, init));
      calls += 1;
      if (calls === 1) throw new TypeError("Failed to fetch");
      return new Response(JSON.stringify({ id: "lic-1" }), { status: 201, headers: { "content-type": "application/json" } });
    };
    const api = new ApiClient(target, session, flaky);
    await expect(api.signed("POST", "/licenses", { subject: "did:x" })).resolves.toEqual({ id: "lic-1" });
    expect(seen).toHaveLength(2);
    expect(seen[1]!.headers.get("idempotency-key")).toBe(seen[0]!.headers.get("idempotency-key"));
    expect(seen[1]!.headers.get("authorization")).not.toBe(seen[0]!.headers.get("authorization"));
  });
});
