import { describe, expect, it } from "vitest";
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
});
