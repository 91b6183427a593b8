import { describe, expect, it } from "vitest";
import { issueApiToken, verifyApiToken } from "./api-token.js";
import type { SessionIdentity } from "./cacao-checks.js";

const secret = new Uint8Array(32).fill(7);
const audience = "https://api.openchart.test";
const now = Date.parse("2026-11-23T12:00:00Z");
const identity: SessionIdentity = {
  did: "did:pkh:eip155:31337:0x00000000000000000000000000000000000000aa",
  address: "0x00000000000000000000000000000000000000aa",
  chainId: 31337,
  sessionKey: "did:key:z6MkuSRZ47sjNKHmGKFotUFuXnWTyWoL9dKTqA43cfWcXSe7",
  expiresAt: now + 3_600_000,
};

describe("API tokens", () => {
  it("carry the session identity until they expire", () => {
    const { token, expiresAt } = issueApiToken(identity, { secret, audience, now, ttlSeconds: 120 });
    expect(expiresAt).toBe(now + 120_000);
    expect(verifyApiToken(token, { secret, audience, now: now + 119_000 })).toEqual({ ok: true, ...identity, expiresAt });
    expect(verifyApiToken(token, { secret, audience, now: now + 120_000 })).toMatchObject({ ok: false, code: "TOKEN_EXPIRED" });
  });

  it("never outlive the CACAO they were issued for", () => {
    const { expiresAt } = issueApiToken({ ...identity, expiresAt: now + 30_000 }, { secret, audience, now, ttlSeconds: 600 });
    expect(expiresAt).toBe(now + 30_000);
  });

  it("are refused when altered, issued with another secret, or for another audience", () => {
    const { token } = issueApiToken(identity, { secret, audience, now });
    const [prefix, claims, tag] = token.split(".") as [string, string, string];
    const altered = JSON.parse(atob(claims.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
    altered.sub = "did:pkh:eip155:31337:0x00000000000000000000000000000000000000bb";
    const forged = `${prefix}.${btoa(JSON.stringify(altered)).replace(/=+$/, "")}.${tag}`;
    for (const bad of [forged, token.slice(0, -2), "", "oct1..", 42, "x".repeat(5000)]) {
      expect(verifyApiToken(bad, { secret, audience, now })).toMatchObject({ ok: false, code: "BAD_TOKEN" });
    }
    expect(verifyApiToken(token, { secret: new Uint8Array(32).fill(8), audience, now })).toMatchObject({ code: "BAD_TOKEN" });
    expect(verifyApiToken(token, { secret, audience: "https://other.example", now })).toMatchObject({ code: "BAD_TOKEN" });
  });

  it("need a secret of at least 32 bytes and a positive TTL", () => {
    expect(() => issueApiToken(identity, { secret: new Uint8Array(16), audience, now })).toThrow(/at least 32 bytes/);
    expect(() => issueApiToken(identity, { secret, audience, now, ttlSeconds: 0 })).toThrow(/positive integer/);
  });
});
