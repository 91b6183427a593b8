import { describe, expect, it } from "vitest";
import { ApiClient } from "./api";
import { directoryQuery, profilePath, searchDirectory, setListed } from "./directory";

describe("the doctor directory's calls", () => {
  it("sends only what the search sets, trimmed and escaped", () => {
    expect(directoryQuery({})).toBe("");
    expect(directoryQuery({ q: "  " })).toBe("");
    expect(directoryQuery({ q: " grace hopper ", specialty: "394579002", cursor: "abc", limit: 5 })).toBe("?q=grace+hopper&specialty=394579002&cursor=abc&limit=5");
    expect(directoryQuery({ q: "a&b=c" })).toBe("?q=a%26b%3Dc");
    expect(profilePath("did:pkh:eip155:1:0xab")).toBe("#/doctors/did%3Apkh%3Aeip155%3A1%3A0xab");
  });

  it("searches without signing in, and needs a session to change the listing", async () => {
    const urls: string[] = [];
    const api = new ApiClient({ apiUrl: "http://api", apiAudience: "http://api" }, undefined, async (input) => {
      urls.push(String(input));
      return new Response(JSON.stringify({ doctors: [] }));
    });
    expect(await searchDirectory(api, { q: "osler" })).toEqual({ doctors: [] });
    expect(urls).toEqual(["http://api/directory?q=osler"]);
    await expect(setListed(api, true)).rejects.toThrow("Sign in first.");
  });
});
