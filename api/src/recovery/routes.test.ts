// Guardian recovery against the real API on SQLite and on PostgreSQL, with real did-sessions and real
// shares (the sdk splits a real master, guardians re-wrap with their real keys): a 2-of-3 recovery from a
// new wallet, and every refusal of the bad-input list, each changing nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  encryptionKeyOfMaster,
  newMasterKey,
  newWalletKeyParams,
  recoverMaster,
  rewrapShareFor,
  splitToGuardians,
  walletKeyMessage,
  walletKeyOf,
  wrapForDevice,
  wrapMaster,
  type EncryptionKeyPair,
  type GuardianSetView,
  type Guarding,
  type MasterKey,
  type RecoveryCompleted,
  type RecoveryLists,
  type RecoveryRequestView,
} from "@openchart/sdk";
import { generateEncryptionKey } from "@openchart/sdk/vault";
import { createDatabase, startPostgres, type PostgresServer } from "@openchart/testkit/postgres";
import { API_AUDIENCE, APP_DOMAIN } from "@openchart/testkit/session";
import { auditOf, call, notificationsOf, testUser, type TestUser } from "../../test/account-client.js";
import { startInProcessApi, type InProcessApi } from "../../test/in-process-api.js";

const ENV = { API_AUTH_DOMAINS: APP_DOMAIN, API_AUTH_AUDIENCE: API_AUDIENCE };
let postgres: PostgresServer;
/** Per engine: an API with no waiting period, and one with the default 72 hours. */
const apis: Record<string, { now: InProcessApi; waiting: InProcessApi }> = {};

beforeAll(async () => {
  postgres = await startPostgres();
  const [now, waiting] = await Promise.all([createDatabase(postgres.url, "recovery_now"), createDatabase(postgres.url, "recovery_waiting")]);
  apis.SQLite = { now: await startInProcessApi({ ...ENV, API_RECOVERY_WAIT_HOURS: "0" }), waiting: await startInProcessApi(ENV) };
  apis.PostgreSQL = {
    now: await startInProcessApi({ ...ENV, API_RECOVERY_WAIT_HOURS: "0" }, { databaseUrl: now }),
    waiting: await startInProcessApi(ENV, { databaseUrl: waiting }),
  };
});
afterAll(async () => {
  for (const { now, waiting } of Object.values(apis)) await Promise.all([now.stop(), waiting.stop()]);
  await postgres?.stop();
});

interface Guardian extends TestUser {
  key: EncryptionKeyPair;
}

interface Story {
  patient: TestUser;
  master: MasterKey;
  guardians: Guardian[];
  requester: TestUser;
  /** The new wallet's own encryption key, which guardians re-wrap to. */
  newKey: EncryptionKeyPair;
}

/** A patient with a wallet-wrapped master kept by the API and three guardians (2-of-3), and a new wallet. */
async function story(api: InProcessApi): Promise<Story> {
  const [patient, requester, ...guardians] = await Promise.all(Array.from({ length: 5 }, () => testUser()));
  const master = newMasterKey();
  const params = newWalletKeyParams(31337);
  const request = { ...params, origin: `https://${APP_DOMAIN}`, address: patient!.wallet.address };
  const walletKey = await walletKeyOf(await patient!.wallet.signMessage(walletKeyMessage(request)), request);
  const wrapped = await wrapMaster(master, walletKey, { kind: "wallet", did: patient!.did, wallet: params });
  expect((await call(api, patient!, "PUT", "/keys/wrapped", { blob: JSON.stringify(wrapped) })).status).toBe(204);
  const withKeys = guardians.map((g) => ({ ...g, key: generateEncryptionKey() }));
  const set = await splitToGuardians(master, { patient: patient!.did, threshold: 2, guardians: withKeys.map((g) => ({ did: g.did, keyDid: g.key.did })) });
  expect((await call(api, patient!, "PUT", "/recovery/guardians", set)).status).toBe(204);
  return { patient: patient!, master, guardians: withKeys, requester: requester!, newKey: encryptionKeyOfMaster(newMasterKey()) };
}

async function ask(api: InProcessApi, s: Story) {
  return call<RecoveryRequestView>(api, s.requester, "POST", "/recovery/requests", { patient: s.patient.did, requesterKeyDid: s.newKey.did });
}

/** What a guardian's app does: read the request, re-wrap its own share to the requester's key, approve. */
async function approve(api: InProcessApi, s: Story, guardian: Guardian, id: string) {
  const view = await call<RecoveryRequestView>(api, guardian, "GET", `/recovery/requests/${id}`);
  expect(view.body).toMatchObject({ role: "guardian", approvedByMe: false });
  const share = await rewrapShareFor(view.body.myShare!, guardian.key, { patient: s.patient.did, guardian: guardian.did, requesterKeyDid: view.body.requesterKeyDid });
  return call<RecoveryRequestView>(api, guardian, "POST", `/recovery/requests/${id}/approve`, { share });
}

const state = async (api: InProcessApi, who: TestUser, id: string) => (await call<RecoveryRequestView>(api, who, "GET", `/recovery/requests/${id}`)).body;

describe.each(["SQLite", "PostgreSQL"])("guardian recovery on %s", (engine) => {
  const api = () => apis[engine]!.now;

  it("2-of-3: guardians approve in their own sessions, the new wallet rebuilds the master; the old account's keys are let go", async () => {
    const s = await story(api());
    expect((await call<GuardianSetView>(api(), s.patient, "GET", "/recovery/guardians")).body).toMatchObject({ threshold: 2, guardians: s.guardians.map((g) => ({ did: g.did, keyDid: g.key.did })) });
    const guarding = await call<Guarding>(api(), s.guardians[0]!, "GET", "/recovery/guarding");
    expect(guarding.body.guarding).toMatchObject([{ patient: s.patient.did, threshold: 2, count: 3 }]);

    // The old wallet's laptop, still signed in, keeps a device entry (the master wrapped to its device key).
    const laptopKey = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
    const laptop = { deviceKey: async () => laptopKey, deviceId: async () => "ab".repeat(16) };
    const entry = { blob: JSON.stringify(await wrapForDevice(laptop, s.patient.did, s.master)), label: "old laptop" };
    expect((await call(api(), s.patient, "PUT", `/keys/devices/${"ab".repeat(16)}`, entry)).status).toBe(204);

    const asked = await ask(api(), s);
    expect(asked).toMatchObject({ status: 201, body: { role: "requester", state: "waiting", threshold: 2, count: 3, approvals: [], shares: [] } });
    const id = asked.body.id;
    // The requester does not learn who guards the account; the patient sees who has not approved yet.
    expect(JSON.stringify(asked.body)).not.toContain(s.guardians[0]!.did);
    expect((await state(api(), s.patient, id)).waitingFor?.sort()).toEqual(s.guardians.map((g) => g.did).sort());

    expect((await approve(api(), s, s.guardians[0]!, id)).status).toBe(200);
    expect((await approve(api(), s, s.guardians[2]!, id)).body).toMatchObject({ approvedByMe: true, approvals: [{ guardian: s.guardians[0]!.did }, { guardian: s.guardians[2]!.did }] });
    const mine = await state(api(), s.requester, id);
    expect(mine.shares).toHaveLength(2);
    const master = await recoverMaster(mine.shares!, s.newKey, { patient: s.patient.did, keyDid: encryptionKeyOfMaster(s.master).did });
    expect(master).toEqual(s.master);

    const done = await call<RecoveryCompleted>(api(), s.requester, "POST", `/recovery/requests/${id}/complete`);
    expect(done).toMatchObject({ status: 200, body: { request: { state: "completed" }, revoked: { walletKey: true, devices: 1 } } });
    // The lost wallet's session finds no wrapped key, no device entry and no guardians any more.
    expect((await call(api(), s.patient, "GET", `/keys/devices/${"ab".repeat(16)}`)).body).toMatchObject({ code: "DEVICE_UNKNOWN" });
    expect((await call(api(), s.patient, "GET", "/keys/wrapped")).body).toMatchObject({ code: "WRAPPED_KEY_UNKNOWN" });
    expect((await call(api(), s.patient, "GET", "/recovery/guardians")).body).toMatchObject({ code: "GUARDIANS_UNKNOWN" });

    // Every step was notified to both sides, and audited under the patient's account.
    const kinds = async (who: TestUser) => (await notificationsOf(api(), who)).map((n) => n.kind).reverse();
    expect(await kinds(s.patient)).toEqual(["recovery.requested", "recovery.approved", "recovery.approved", "recovery.completed", "devices.revoked"]);
    expect(await kinds(s.requester)).toEqual(["recovery.requested", "recovery.approved", "recovery.approved", "recovery.completed"]);
    expect(await kinds(s.guardians[1]!)).toEqual(["guardian.named", "recovery.requested", "recovery.completed"]);
    expect(await auditOf(api(), s.patient.did, "recovery.")).toEqual([
      { action: "recovery.guardians.put", decision: "accepted" },
      { action: "recovery.request", decision: "accepted" },
      { action: "recovery.approve", decision: "accepted" },
      { action: "recovery.approve", decision: "accepted" },
      { action: "recovery.complete", decision: "accepted" },
    ]);
    const lists = (await call<RecoveryLists>(api(), s.guardians[1]!, "GET", "/recovery/requests")).body;
    expect(lists.asGuardian.map((r) => [r.id, r.state])).toEqual([[id, "completed"]]);
  });

  it("a share from the wrong guardian: a DID that is not a guardian of the request is refused, nothing changes", async () => {
    const s = await story(api());
    const { id } = (await ask(api(), s)).body;
    const outsider = { ...(await testUser()), key: generateEncryptionKey() };
    // Even holding a real share (a guardian's, re-wrapped by it), the outsider cannot file it as an approval.
    const view = await state(api(), s.guardians[0]!, id);
    const share = await rewrapShareFor(view.myShare!, s.guardians[0]!.key, { patient: s.patient.did, guardian: s.guardians[0]!.did, requesterKeyDid: s.newKey.did });
    for (const who of [outsider, s.requester, s.patient]) {
      const refused = await call(api(), who, "POST", `/recovery/requests/${id}/approve`, { share });
      expect(refused).toMatchObject({ status: 403, body: { code: "NOT_GUARDIAN", detail: expect.stringMatching(/not one of the guardians/) } });
    }
    expect((await state(api(), s.requester, id)).approvals).toEqual([]);
    expect(await auditOf(api(), outsider.did, "recovery.")).toEqual([{ action: "recovery.approve", decision: "refused", reason: "NOT_GUARDIAN" }]);
    // The outsider does not even see the request.
    expect((await call(api(), outsider, "GET", `/recovery/requests/${id}`)).body).toMatchObject({ code: "RECOVERY_UNKNOWN" });
  });

  it("a duplicate share: a guardian approving twice is refused, and still counts once", async () => {
    const s = await story(api());
    const { id } = (await ask(api(), s)).body;
    expect((await approve(api(), s, s.guardians[1]!, id)).status).toBe(200);
    const view = await state(api(), s.guardians[1]!, id);
    const again = await rewrapShareFor(view.myShare!, s.guardians[1]!.key, { patient: s.patient.did, guardian: s.guardians[1]!.did, requesterKeyDid: s.newKey.did });
    const refused = await call(api(), s.guardians[1]!, "POST", `/recovery/requests/${id}/approve`, { share: again });
    expect(refused).toMatchObject({ status: 409, body: { code: "ALREADY_APPROVED", detail: expect.stringMatching(/counts once/) } });
    expect((await state(api(), s.requester, id)).shares).toHaveLength(1);
  });

  it("fewer than k shares: completing with one approval of two is refused, the old account keeps its keys", async () => {
    const s = await story(api());
    const { id } = (await ask(api(), s)).body;
    await approve(api(), s, s.guardians[0]!, id);
    const refused = await call(api(), s.requester, "POST", `/recovery/requests/${id}/complete`);
    expect(refused).toMatchObject({ status: 409, body: { code: "NOT_ENOUGH_APPROVALS", detail: "1 of the 2 guardian approvals needed: fewer shares open nothing" } });
    const view = await state(api(), s.requester, id);
    expect(view.state).toBe("waiting");
    await expect(recoverMaster(view.shares!, s.newKey, { patient: s.patient.did })).rejects.toMatchObject({ code: "NOT_ENOUGH_SHARES" });
    expect((await call(api(), s.patient, "GET", "/keys/wrapped")).status).toBe(200);
    expect((await call(api(), s.patient, "GET", "/recovery/guardians")).status).toBe(200);
  });

  it("a request cancelled by the old wallet: no guardian can approve it, it cannot complete, its requester is told", async () => {
    const s = await story(api());
    const { id } = (await ask(api(), s)).body;
    await approve(api(), s, s.guardians[0]!, id);
    // Only the patient's own (old) session, or the requester, may cancel; a guardian may not.
    expect((await call(api(), s.guardians[1]!, "POST", `/recovery/requests/${id}/cancel`)).body).toMatchObject({ code: "FORBIDDEN" });
    expect((await call<RecoveryRequestView>(api(), s.patient, "POST", `/recovery/requests/${id}/cancel`)).body).toMatchObject({ state: "cancelled", role: "patient" });
    const late = await approve(api(), s, s.guardians[1]!, id);
    expect(late).toMatchObject({ status: 410, body: { code: "RECOVERY_CANCELLED", detail: expect.stringMatching(/was cancelled/) } });
    expect((await call(api(), s.requester, "POST", `/recovery/requests/${id}/complete`)).body).toMatchObject({ code: "RECOVERY_CANCELLED" });
    expect((await state(api(), s.requester, id)).approvals).toHaveLength(1);
    expect((await notificationsOf(api(), s.requester))[0]).toMatchObject({ kind: "recovery.cancelled", requestId: id, by: "patient" });
    // A new request may follow (the patient was not in control of the first, say).
    expect((await ask(api(), s)).status).toBe(201);
  });

  it("refuses requests that cannot be served: no guardians, one's own account, a guardian asking, a second open request", async () => {
    const s = await story(api());
    const nobody = await testUser();
    expect((await call(api(), s.requester, "POST", "/recovery/requests", { patient: nobody.did, requesterKeyDid: s.newKey.did })).body).toMatchObject({ code: "GUARDIANS_UNKNOWN" });
    expect((await call(api(), s.patient, "POST", "/recovery/requests", { patient: s.patient.did, requesterKeyDid: s.newKey.did })).body).toMatchObject({ code: "INVALID_REQUEST" });
    expect((await call(api(), s.guardians[0]!, "POST", "/recovery/requests", { patient: s.patient.did, requesterKeyDid: s.newKey.did })).body).toMatchObject({ code: "FORBIDDEN" });
    expect((await ask(api(), s)).status).toBe(201);
    expect((await ask(api(), s)).body).toMatchObject({ code: "RECOVERY_PENDING" });
    // While a request waits, the patient cannot swap the guardians it was made to.
    const set = await splitToGuardians(s.master, { patient: s.patient.did, threshold: 2, guardians: s.guardians.slice(0, 2).map((g) => ({ did: g.did, keyDid: g.key.did })) });
    expect((await call(api(), s.patient, "PUT", "/recovery/guardians", set)).body).toMatchObject({ code: "RECOVERY_PENDING" });
    expect((await call<GuardianSetView>(api(), s.patient, "GET", "/recovery/guardians")).body.guardians).toHaveLength(3);
  });
});

describe.each(["SQLite", "PostgreSQL"])("the waiting period on %s", (engine) => {
  const api = () => apis[engine]!.waiting;

  it("a guardian approving before the waiting period ends is refused (with when to come back), nothing changes", async () => {
    const s = await story(api());
    const asked = await ask(api(), s);
    const { id, readyAt, createdAt } = asked.body;
    expect(readyAt - createdAt).toBe(72 * 3_600_000);
    const early = await approve(api(), s, s.guardians[0]!, id);
    expect(early).toMatchObject({ status: 409, body: { code: "RECOVERY_WAITING", detail: expect.stringMatching(/^guardians can approve from .*old wallet can cancel/) } });
    expect(Number(early.headers.get("retry-after"))).toBeGreaterThan(71 * 3600);
    expect((await state(api(), s.patient, id)).approvals).toEqual([]);
    expect(await auditOf(api(), s.guardians[0]!.did, "recovery.")).toEqual([{ action: "recovery.approve", decision: "refused", reason: "RECOVERY_WAITING" }]);
  });
});
