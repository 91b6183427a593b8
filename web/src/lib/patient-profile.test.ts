import { describe, expect, it } from "vitest";
import type { ApiClient } from "./api";
import { UserFacingError } from "./problems";
import { loadMyProfile, profileProblems, saveMyProfile } from "./patient-profile";

describe("the patient's profile", () => {
  it("says next to each field why a value is refused", () => {
    expect(profileProblems("Maria", "")).toEqual({ name: null, birthDate: null });
    expect(profileProblems(" ", "1962-03-14")).toEqual({ name: "Enter a name.", birthDate: null });
    expect(profileProblems("Maria", "2023-02-30").birthDate).toMatch(/^2023-02-30 is not a day of the calendar\.$/);
    expect(profileProblems("Maria", "2999-01-01").birthDate).toBe("A date of birth is not in the future.");
  });

  it("sends the API only what the vault sealed, and opens what comes back with the vault", async () => {
    const sent: unknown[] = [];
    const vault = { sealProfile: async (p: { name: string }) => `sealed(${p.name.length})`, openProfile: async (s: string) => ({ name: `opened ${s}` }) };
    const api = {
      signed: async (method: string, _path: string, body?: unknown) => {
        sent.push(body);
        return method === "GET" ? { sealed: "xyz" } : undefined;
      },
    } as unknown as ApiClient;
    await saveMyProfile({ api, vault } as never, { name: "Maria Gonzalez" });
    expect(JSON.stringify(sent)).not.toContain("Maria");
    expect(sent).toEqual([{ sealed: "sealed(14)" }]);
    expect(await loadMyProfile({ api, vault } as never)).toEqual({ name: "opened xyz" });
  });

  it("reads no profile as none yet, and passes other failures on", async () => {
    const vault = { openProfile: async () => ({ name: "never" }) };
    const failing = (code: string) => ({ signed: async () => Promise.reject(new UserFacingError("refused", code)) }) as unknown as ApiClient;
    expect(await loadMyProfile({ api: failing("NOT_FOUND"), vault } as never)).toBeNull();
    await expect(loadMyProfile({ api: failing("INTERNAL"), vault } as never)).rejects.toMatchObject({ code: "INTERNAL" });
  });
});
