import { describe, expect, it } from "vitest";
import type { GuardianSetView, RecoveryRequestView } from "@openchart/sdk";
import type { ApiClient } from "./api";
import { checkGuardianPicks, guardianStates, nameGuardians, readGuardianSet } from "./guardian-set";
import { problemError } from "./problems";

const address = (n: number) => `0x${String(n).repeat(40).slice(0, 40)}`;
const did = (n: number) => `did:pkh:eip155:31337:${address(n)}`;
const ME = did(1);
const keyOf = (d: string) => `did:key:z6LS${d.slice(-6)}`;
const T0 = Date.UTC(2026, 10, 24, 12, 0);

const context = (published: string[] = [did(2), did(3), did(4)]) => ({
  chainId: 31337,
  me: ME,
  publishedKeyOf: async (d: string) => (published.includes(d) ? keyOf(d) : undefined),
});

describe("picking guardians", () => {
  it("takes addresses or did:pkh, leaves blank rows out, and finds each one's published key", async () => {
    const checked = await checkGuardianPicks([address(2), "", ` ${did(3)} `], 2, context());
    expect(checked).toEqual({ ok: true, picks: [{ did: did(2), keyDid: keyOf(did(2)) }, { did: did(3), keyDid: keyOf(did(3)) }], fieldErrors: [undefined, undefined, undefined] });
  });

  it("says next to each field what is wrong: not an address, myself, named twice, never signed in", async () => {
    const checked = await checkGuardianPicks(["grandma", address(1), address(2), did(2), address(5)], 2, context());
    expect(checked.ok).toBe(false);
    expect(checked.fieldErrors).toEqual([
      "Enter the guardian's wallet address (0x followed by 40 characters) or their did:pkh identifier.",
      "This is your own account: a guardian must be someone else.",
      undefined,
      "Already named in row 3: each guardian holds one share.",
      "This account has not used OpenChart yet (no published key): ask them to sign in once, then try again.",
    ]);
  });

  it("needs 2 to 10 guardians and a threshold from 2 to their number", async () => {
    expect((await checkGuardianPicks([address(2)], 2, context())).thresholdError).toBe("Name from 2 to 10 guardians (you named 1).");
    expect((await checkGuardianPicks([address(2), address(3)], 3, context())).thresholdError).toBe(
      "The number of approvals needed must be from 2 to 2, the number of guardians you named.",
    );
    expect((await checkGuardianPicks([address(2), address(3), address(4)], 1, context())).ok).toBe(false);
  });

  it("names them: the split happens on this device, the API gets the sealed shares", async () => {
    const sent: unknown[] = [];
    const api = { signed: async (...args: unknown[]) => void sent.push(args) } as unknown as Pick<ApiClient, "signed">;
    const picks = [{ did: did(2), keyDid: keyOf(did(2)) }];
    await nameGuardians({ api, guardianKeys: { split: async (k, g) => ({ setId: "s", threshold: k, guardians: g.map((x) => ({ ...x, share: "sealed" })) }) } }, 2, picks);
    expect(sent).toEqual([["PUT", "/recovery/guardians", { setId: "s", threshold: 2, guardians: [{ ...picks[0], share: "sealed" }] }]]);
  });
});

describe("the guardian set and its approval state", () => {
  const set: GuardianSetView = { setId: "a".repeat(32), threshold: 2, guardians: [2, 3, 4].map((n) => ({ did: did(n), keyDid: keyOf(did(n)) })), updatedAt: T0 };

  it("reads no set as null, other refusals as errors", async () => {
    const refusing = (code: string) => ({ signed: async () => Promise.reject(problemError(404, { code })) }) as unknown as Pick<ApiClient, "signed">;
    expect(await readGuardianSet(refusing("GUARDIANS_UNKNOWN"))).toBeNull();
    await expect(readGuardianSet(refusing("RATE_LIMITED"))).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });

  it("shows who approved the open request, and nothing asked when none is open", () => {
    expect(guardianStates(set, []).map((s) => s.state)).toEqual(["no recovery is asked", "no recovery is asked", "no recovery is asked"]);
    const open = { id: "r", state: "waiting", setId: set.setId, createdAt: T0, approvals: [{ guardian: did(3), approvedAt: T0 + 3_600_000 }] } as unknown as RecoveryRequestView;
    const closed = { ...open, state: "cancelled", approvals: [] } as RecoveryRequestView;
    expect(guardianStates(set, [closed, open]).map((s) => [s.approved, s.state])).toEqual([
      [false, "has not approved the recovery asked 2026-11-24 12:00 UTC"],
      [true, "approved the recovery asked 2026-11-24 12:00 UTC, at 2026-11-24 13:00 UTC"],
      [false, "has not approved the recovery asked 2026-11-24 12:00 UTC"],
    ]);
  });
});
