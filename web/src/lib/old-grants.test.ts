import { describe, expect, it } from "vitest";
import type { GrantSummary } from "@openchart/sdk/vault";
import type { ApiClient } from "./api";
import { endOldConsent, isRunning, reissueGrant } from "./old-grants";

const T0 = Date.UTC(2026, 10, 24, 12, 0);
const DOCTOR = `did:pkh:eip155:31337:0x${"7".repeat(40)}`;
const grant = (over: Partial<GrantSummary> = {}): GrantSummary => ({
  id: "kjz-grant",
  patient: `did:pkh:eip155:31337:0x${"1".repeat(40)}`,
  grantee: DOCTOR,
  recordIds: ["kjz-old-1", "kjz-old-2"],
  expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  revoked: false,
  createdAt: new Date(T0).toISOString(),
  ...over,
});
const config = { rpcUrl: "http://127.0.0.1:1", chainId: 31337, contracts: {} };

/** A patient whose every call is recorded; the license check answers a verified doctor. */
function patient() {
  const calls: string[] = [];
  const user = {
    api: {
      get: async (path: string) => (calls.push(`GET ${path}`), { doctor: { did: DOCTOR }, verifiedAt: "now" }),
      signed: async (method: string, path: string) => (calls.push(`${method} ${path}`), { consentId: "0x", txHash: "0x", blockNumber: 7 }),
    } as unknown as ApiClient,
    consents: {
      grant: async () => (calls.push("sign grant"), {}) as never,
      revoke: async () => (calls.push("sign revoke"), {}) as never,
    },
    vault: {
      shareRecords: async (ids: readonly string[], grantee: string, expiresAt: Date) => {
        calls.push(`share ${ids.join(",")} with ${grantee} until ${expiresAt.toISOString()}`);
        return grant({ id: "kjz-new-grant", recordIds: [...ids], opening: {} as never });
      },
    },
  };
  return { user, calls };
}

describe("the old account's shares after a recovery", () => {
  it("shares again the moved copies of the records, to the same doctor until the same day, after the license check", async () => {
    const { user, calls } = patient();
    const old = grant();
    await reissueGrant(user, config, old, { copied: [{ from: "kjz-old-2", to: "kjz-new-2" }, { from: "kjz-other", to: "kjz-x" }] });
    expect(calls).toEqual([
      `GET /doctors/${encodeURIComponent(DOCTOR)}`,
      `share kjz-new-2 with ${DOCTOR} until ${old.expiresAt}`,
      "sign grant",
      "POST /consents/relay",
    ]);
  });

  it("refuses an ended share and one none of whose records moved, before asking anyone", async () => {
    const { user, calls } = patient();
    expect(isRunning(grant({ revoked: true }))).toBe(false);
    await expect(reissueGrant(user, config, grant({ expiresAt: new Date(T0).toISOString() }), { copied: [] })).rejects.toThrow(/has ended/);
    await expect(reissueGrant(user, config, grant(), { copied: [] })).rejects.toThrow(/None of this share's records were moved/);
    expect(calls).toEqual([]);
  });

  it("has no consent to end when the grant carries no opening", async () => {
    const { user, calls } = patient();
    expect(await endOldConsent(user, config, grant())).toBe(false);
    expect(calls).toEqual([]);
  });
});
