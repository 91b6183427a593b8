import { encryptionKeyOfMaster, newMasterKey, type RecoveryRequestView } from "@openchart/sdk";
import { describe, expect, it } from "vitest";
import type { ApiClient } from "./api";
import { guardianKeysOf } from "./guardian-keys";
import { problemError } from "./problems";
import { approvalWords, approveRecovery, cancellations, askRecovery, completedWords, completeRecovery, isReady, waitingWords, type Requester } from "./recovery";

const did = (n: number) => `did:pkh:eip155:31337:0x${String(n).repeat(40).slice(0, 40)}`;
const PATIENT = did(1);
const HEIR = did(9);
const GUARDIANS = [did(2), did(3), did(4)];
const T0 = Date.UTC(2026, 10, 24, 12, 0);
const HOUR = 3_600_000;

/** An API that records each call and answers with `answer(method, path, body)`. */
function recordingApi(answer: (method: string, path: string, body: unknown) => unknown = () => ({})) {
  const sent: { method: string; path: string; body: unknown }[] = [];
  const api = {
    signed: async (method: string, path: string, body?: unknown) => {
      sent.push({ method, path, body });
      return answer(method, path, body);
    },
  } as unknown as Pick<ApiClient, "signed">;
  return { api, sent };
}

function requestView(over: Partial<RecoveryRequestView> = {}): RecoveryRequestView {
  return {
    id: "f".repeat(32),
    role: "guardian",
    patient: PATIENT,
    requester: HEIR,
    requesterKeyDid: "did:key:z6LSplaceholder",
    setId: "e".repeat(32),
    threshold: 2,
    count: 3,
    state: "waiting",
    createdAt: T0,
    readyAt: T0 + 72 * HOUR,
    closedAt: null,
    approvals: [],
    ...over,
  };
}

/** A patient's master split 2-of-3 to three guardians' keys, with the heir's own (first) master. */
async function splitScene() {
  const master = newMasterKey();
  const guardianMasters = GUARDIANS.map(() => newMasterKey());
  const picks = GUARDIANS.map((g, i) => ({ did: g, keyDid: encryptionKeyOfMaster(guardianMasters[i]!).did }));
  const body = await guardianKeysOf(PATIENT, master).split(2, picks);
  const heirMaster = newMasterKey();
  return { master, guardianMasters, body, heirMaster, heirKeyDid: encryptionKeyOfMaster(heirMaster).did };
}

describe("a recovery request in words", () => {
  it("says how long the waiting period lasts, and when it is over", () => {
    const view = requestView();
    expect(isReady(view, T0)).toBe(false);
    expect(waitingWords(view, T0 + 2 * HOUR)).toBe(
      "Waiting period: guardians can approve from 2026-11-27 12:00 UTC, in 2 days 22 hours. Until then the account's own wallet can cancel it.",
    );
    expect(isReady(view, T0 + 72 * HOUR)).toBe(true);
    expect(waitingWords(view, T0 + 72 * HOUR)).toMatch(/^The waiting period is over: guardians can approve now/);
    expect(waitingWords(requestView({ state: "cancelled", closedAt: T0 + HOUR }))).toBe("Cancelled 2026-11-24 13:00 UTC: nothing more can happen to this request.");
    expect(isReady(requestView({ state: "cancelled" }), T0 + 100 * HOUR)).toBe(false);
    const cancelled = requestView({ state: "cancelled", closedAt: T0 });
    const by = cancellations([{ id: 4, at: T0, kind: "recovery.cancelled", requestId: cancelled.id, by: "patient" }, { id: 5, at: T0, kind: "recovery.approved", requestId: "x" }]);
    expect(waitingWords(cancelled, T0, by.get(cancelled.id))).toBe("Cancelled by the account's own wallet 2026-11-24 12:00 UTC: nothing more can happen to this request.");
  });

  it("counts approvals against the threshold, naming who approved", () => {
    expect(approvalWords(requestView())).toBe("0 of the 2 approvals needed, among 3 guardians.");
    const two = requestView({ approvals: [{ guardian: GUARDIANS[0]!, approvedAt: T0 }, { guardian: GUARDIANS[2]!, approvedAt: T0 }] });
    expect(approvalWords(two)).toBe("2 of the 2 approvals needed, among 3 guardians (from 0x2222…2222, 0x4444…4444): enough to complete.");
  });
});

describe("asking for a recovery", () => {
  it("names the lost account by address, and the share's destination is this wallet's key", async () => {
    const { api, sent } = recordingApi(() => requestView());
    await askRecovery(api, { oldAccount: `0x${"1".repeat(40)}`, chainId: 31337, me: HEIR, myKeyDid: "did:key:z6LSmine" });
    expect(sent).toEqual([{ method: "POST", path: "/recovery/requests", body: { patient: PATIENT, requesterKeyDid: "did:key:z6LSmine" } }]);
  });

  it("refuses the signed-in account itself and anything that is not an address, before asking the API", async () => {
    const { api, sent } = recordingApi();
    await expect(askRecovery(api, { oldAccount: HEIR, chainId: 31337, me: HEIR, myKeyDid: "did:key:z6LS" })).rejects.toThrow(/wallet you are signed in with/);
    await expect(askRecovery(api, { oldAccount: "my old wallet", chainId: 31337, me: HEIR, myKeyDid: "did:key:z6LS" })).rejects.toThrow(/lost wallet's wallet address/);
    expect(sent).toEqual([]);
  });
});

describe("a guardian approves", () => {
  it("re-wraps only its own share, to the requester's key, once the waiting period is over", async () => {
    const scene = await splitScene();
    const guardian = { api: recordingApi().api, guardianKeys: guardianKeysOf(GUARDIANS[1]!, scene.guardianMasters[1]!) };
    const { api, sent } = recordingApi(() => requestView({ approvedByMe: true }));
    const view = requestView({ requesterKeyDid: scene.heirKeyDid, myShare: scene.body.guardians[1]!.share, approvedByMe: false });
    await approveRecovery({ ...guardian, api }, view, view.readyAt);
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual([`POST /recovery/requests/${view.id}/approve`]);
    // The heir's key opens it: with a second guardian's it rebuilds the master.
    const heir = guardianKeysOf(HEIR, scene.heirMaster);
    const second = await guardianKeysOf(GUARDIANS[0]!, scene.guardianMasters[0]!).rewrap(scene.body.guardians[0]!.share, { patient: PATIENT, requesterKeyDid: scene.heirKeyDid });
    const shares = [
      { guardian: GUARDIANS[1]!, share: (sent[0]!.body as { share: string }).share },
      { guardian: GUARDIANS[0]!, share: second },
    ];
    expect(await heir.recover(shares, { patient: PATIENT, keyDid: encryptionKeyOfMaster(scene.master).did })).toEqual(scene.master);
  });

  it("is refused before the waiting period ends, twice, or on a cancelled request, with nothing sent", async () => {
    const scene = await splitScene();
    const { api, sent } = recordingApi();
    const guardian = { api, guardianKeys: guardianKeysOf(GUARDIANS[0]!, scene.guardianMasters[0]!) };
    const view = requestView({ requesterKeyDid: scene.heirKeyDid, myShare: scene.body.guardians[0]!.share, approvedByMe: false });
    await expect(approveRecovery(guardian, view, view.readyAt - 1)).rejects.toMatchObject({ code: "RECOVERY_WAITING" });
    await expect(approveRecovery(guardian, { ...view, approvedByMe: true }, view.readyAt)).rejects.toMatchObject({ code: "ALREADY_APPROVED" });
    await expect(approveRecovery(guardian, { ...view, state: "cancelled" }, view.readyAt)).rejects.toMatchObject({ code: "RECOVERY_CANCELLED" });
    expect(sent).toEqual([]);
  });
});

describe("completing a recovery", () => {
  const adopted = { copied: [{ from: "kjz-old", to: "kjz-new" }], alreadyHere: [], unreadable: [] };

  async function heirWithShares() {
    const scene = await splitScene();
    const shares = await Promise.all(
      [0, 2].map(async (i) => ({
        guardian: GUARDIANS[i]!,
        share: await guardianKeysOf(GUARDIANS[i]!, scene.guardianMasters[i]!).rewrap(scene.body.guardians[i]!.share, { patient: PATIENT, requesterKeyDid: scene.heirKeyDid }),
      })),
    );
    const view = requestView({ role: "requester", requesterKeyDid: scene.heirKeyDid, shares, approvals: shares.map((s) => ({ guardian: s.guardian, approvedAt: T0 })) });
    const steps: string[] = [];
    const api = recordingApi((method, path) => {
      steps.push(`${method} ${path}`);
      return { request: { ...view, state: "completed" }, revoked: { walletKey: true, devices: 2 } };
    }).api;
    const userWith = (master = scene.heirMaster): Requester => ({
      api,
      encryptionKeyDid: encryptionKeyOfMaster(master).did,
      guardianKeys: guardianKeysOf(HEIR, master),
      vault: {
        adoptRecordsOf: async (old) => (steps.push(`adopt ${old}`), adopted),
        listGrantsOf: async (old) => (steps.push(`grants ${old}`), []),
      },
    });
    return { scene, view, steps, userWith };
  }

  it("rebuilds the master, takes it over, moves the records, then completes, in that order", async () => {
    const { scene, view, steps, userWith } = await heirWithShares();
    let takenOver: unknown;
    const done = await completeRecovery({
      user: userWith(),
      view,
      publishedKeyDid: encryptionKeyOfMaster(scene.master).did,
      takeOver: async (master) => {
        takenOver = master;
        steps.push("take over");
        return userWith(master);
      },
    });
    expect(takenOver).toEqual(scene.master);
    expect(done.user.encryptionKeyDid).toBe(encryptionKeyOfMaster(scene.master).did);
    expect(steps).toEqual(["take over", `adopt ${PATIENT}`, `POST /recovery/requests/${view.id}/complete`, `grants ${PATIENT}`]);
    expect(completedWords(done)).toEqual([
      "1 record of the old account now belongs to this wallet (same encrypted files and receipts).",
      "The lost wallet's kept key and 2 devices were deleted: a device still signed in with it opens nothing.",
      "The old account has no running shares.",
    ]);
  });

  it("after a reload that already took the master over, goes on from the records", async () => {
    const { scene, view, steps, userWith } = await heirWithShares();
    const done = await completeRecovery({
      user: userWith(scene.master),
      view: { ...view, shares: [] },
      publishedKeyDid: encryptionKeyOfMaster(scene.master).did,
      takeOver: async () => {
        throw new Error("not again");
      },
    });
    expect(done.adopted).toBe(adopted);
    expect(steps[0]).toBe(`adopt ${PATIENT}`);
  });

  it("refuses shares that do not rebuild the old account's published key, and fewer than the threshold, taking nothing over", async () => {
    const { view, steps, userWith } = await heirWithShares();
    const takeOver = async () => {
      throw new Error("must not take over");
    };
    const other = encryptionKeyOfMaster(newMasterKey()).did;
    await expect(completeRecovery({ user: userWith(), view, publishedKeyDid: other, takeOver })).rejects.toMatchObject({ code: "WRONG_KEY" });
    await expect(completeRecovery({ user: userWith(), view: { ...view, approvals: view.approvals.slice(1), shares: view.shares!.slice(1) }, publishedKeyDid: other, takeOver })).rejects.toMatchObject({
      code: "NOT_ENOUGH_APPROVALS",
    });
    expect(steps).toEqual([]);
  });

  it("counts the old account's grants the recovered key does not open, and says so beside the others", async () => {
    const { scene, view, userWith } = await heirWithShares();
    const user = userWith(scene.master);
    // The vault reports each grant it cannot open (sdk tests cover which ones) and lists the others.
    user.vault = { ...user.vault, listGrantsOf: async (_old, onUnreadable) => (onUnreadable?.({ id: "kjz-sealed-elsewhere" }), []) };
    const done = await completeRecovery({ user, view, publishedKeyDid: encryptionKeyOfMaster(scene.master).did, takeOver: async () => user });
    expect(done.unreadableGrants).toBe(1);
    expect(completedWords(done)).toContain("1 share of the old account did not open with the recovered key and is not listed.");
  });

  it("a completion the API already recorded (a retried click) still moves the records and lists the grants", async () => {
    const { scene, view, userWith } = await heirWithShares();
    const user = userWith(scene.master);
    user.api = recordingApi(() => {
      throw problemError(409, { code: "RECOVERY_CLOSED" });
    }).api;
    const done = await completeRecovery({ user, view, publishedKeyDid: encryptionKeyOfMaster(scene.master).did, takeOver: async () => user });
    expect(done.revoked).toEqual({ walletKey: false, devices: 0 });
  });
});
