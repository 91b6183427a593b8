// Guardian recovery end to end, in Node, on a fresh local platform (chain, Ceramic + IPFS, the API as its
// own process with API_RECOVERY_WAIT_HOURS=0), with real wallet sessions for every party: a patient with an
// anchored record, a granted consent, a device and a wallet-wrapped master picks 2-of-3 guardians; the
// wallet is lost; a new wallet asks, two guardians approve in their own sessions, the new wallet rebuilds
// the master, takes over the record index and opens the old record (header, bytes, receipt), revokes the
// old consent on chain; the old wallet's device key opens nothing any more.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectRpc,
  consentGrantRequest,
  consentIdOfOpening,
  consentRevokeRequest,
  encryptionKeyOfMaster,
  newMasterKey,
  newWalletKeyParams,
  recoverMaster,
  rewrapShareFor,
  signedFetch,
  splitToGuardians,
  unwrapMaster,
  verifyReceipt,
  walletKeyMessage,
  walletKeyOf,
  wrapForDevice,
  wrapMaster,
  type MasterKey,
  type Notification,
  type RecoveryCompleted,
  type RecoveryLists,
  type RecoveryRequestView,
} from "@openchart/sdk";
import { nodeDeviceKeyring } from "@openchart/sdk/node-keyring";
import { defaultResources, privateKeyProvider, publishedEncryptionKeyDid, RecordVault, signInWithEthereum } from "@openchart/sdk/vault";
import { startPlatform, type Platform } from "./index";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-recovery-"));
let platform: Platform;

interface Person {
  wallet: Wallet;
  account: string;
  session: Awaited<ReturnType<typeof signInWithEthereum>>;
}

beforeAll(async () => {
  process.env.API_RECOVERY_WAIT_HOURS = "0";
  platform = await startPlatform({ dataDir: path.join(work, "data"), deploymentsDir: path.join(work, "deployments"), ports: { chain: 0, ceramic: 0, ipfs: 0, api: 0, web: 0 } });
}, 300_000);

afterAll(async () => {
  await platform?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

/** A wallet signed in as the web app's page signs in: SIWE domain = its host:port, the API among its resources. */
async function signIn(wallet = Wallet.createRandom() as unknown as Wallet): Promise<Person> {
  const session = await signInWithEthereum(privateKeyProvider(wallet.privateKey, 31337), {
    appName: new URL(platform.url).host,
    resources: [...defaultResources(), platform.endpoints.api],
  });
  return { wallet, session, account: session.did.parent };
}

function vaultOf(person: Person, master: MasterKey): RecordVault {
  const { ceramic, ipfs, api } = platform.endpoints;
  const consentTarget = { chainId: 31337, registry: platform.deployment.contracts.ConsentRegistry.address };
  return new RecordVault({ did: person.session.did, encryptionKey: encryptionKeyOfMaster(master), ceramicUrl: ceramic, ipfsUrl: ipfs, anchorServiceUrl: api, consentTarget });
}

async function api<T>(person: Person, method: "GET" | "POST" | "PUT" | "DELETE", route: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await signedFetch(
    { did: person.session.did, cacao: person.session.did.capability },
    `${platform.endpoints.api}${route}`,
    { method, ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }) },
    { audience: platform.endpoints.api },
  );
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** The origin-bound wallet key, as the web app derives it on this platform's page. */
async function walletKey(person: Person, params = newWalletKeyParams(31337)) {
  const request = { ...params, origin: new URL(platform.url).origin, address: person.wallet.address };
  return { params, key: await walletKeyOf(await person.wallet.signMessage(walletKeyMessage(request)), request) };
}

describe("guardian recovery, 2-of-3, on the local platform", () => {
  it("a new wallet rebuilds the master from two guardians' shares and opens the old account's record", async () => {
    // The patient, before losing the wallet: a master, kept for new devices and on one device; an anchored record; a consent.
    const patient = await signIn();
    const master = newMasterKey();
    const oldVault = vaultOf(patient, master);
    await oldVault.ensureEncryptionProfile();
    const { params, key } = await walletKey(patient);
    expect((await api(patient, "PUT", "/keys/wrapped", { blob: JSON.stringify(await wrapMaster(master, key, { kind: "wallet", did: patient.account, wallet: params })) })).status).toBe(204);
    const laptop = nodeDeviceKeyring(path.join(work, "old-laptop"));
    const laptopEntry = `/keys/devices/${await laptop.deviceId()}`;
    expect((await api(patient, "PUT", laptopEntry, { blob: JSON.stringify(await wrapForDevice(laptop, patient.account, master)), label: "Node on Linux" })).status).toBe(204);

    const content = new TextEncoder().encode("Discharge summary: appendectomy, 2025-03-02\n");
    const record = await oldVault.addRecord({ content, title: "Discharge summary", mediaType: "text/plain" });
    for (let i = 0; (await oldVault.syncReceipt(record.id)).status !== "anchored"; i++) {
      if (i > 240) throw new Error("the record was not anchored within a minute");
      await new Promise((r) => setTimeout(r, 250));
    }
    const doctor = await signIn();
    await vaultOf(doctor, newMasterKey()).ensureEncryptionProfile();
    const grant = await oldVault.shareRecords([record.id], doctor.account, new Date(Date.now() + 7 * 86_400_000));
    expect((await api(patient, "POST", "/consents/relay", await consentGrantRequest(encryptionKeyOfMaster(master).secretKey, grant.opening!, new Date(grant.expiresAt)))).status).toBe(200);

    // Three guardians, each signed in with a master and a published encryption key; the patient picks them by DID.
    const guardians = await Promise.all(
      [0, 1, 2].map(async () => {
        const person = await signIn();
        const own = newMasterKey();
        await vaultOf(person, own).ensureEncryptionProfile();
        return { ...person, key: encryptionKeyOfMaster(own) };
      }),
    );
    const picks = await Promise.all(guardians.map(async (g) => ({ did: g.account, keyDid: (await publishedEncryptionKeyDid(g.account, { ceramicUrl: platform.endpoints.ceramic }))! })));
    expect(picks.map((p) => p.keyDid)).toEqual(guardians.map((g) => g.key.did));
    expect((await api(patient, "PUT", "/recovery/guardians", await splitToGuardians(master, { patient: patient.account, threshold: 2, guardians: picks }))).status).toBe(204);

    // The wallet is lost. A new wallet signs in (a new user: its own master and encryption key) and asks.
    const heir = await signIn();
    const heirOwn = encryptionKeyOfMaster(newMasterKey());
    const asked = await api<RecoveryRequestView>(heir, "POST", "/recovery/requests", { patient: patient.account, requesterKeyDid: heirOwn.did });
    expect(asked.status).toBe(201);
    const id = asked.body.id;
    // The old wallet's session (were it still in the patient's hands) sees the request and could cancel it.
    expect((await api<RecoveryLists>(patient, "GET", "/recovery/requests")).body.asPatient.map((r) => [r.id, r.state])).toEqual([[id, "waiting"]]);

    // Guardians 1 and 3 approve in their own sessions: each re-wraps only its own share to the heir's key.
    for (const guardian of [guardians[0]!, guardians[2]!]) {
      const duty = (await api<RecoveryLists>(guardian, "GET", "/recovery/requests")).body.asGuardian;
      expect(duty).toMatchObject([{ id, patient: patient.account, requester: heir.account, approvedByMe: false }]);
      const share = await rewrapShareFor(duty[0]!.myShare!, guardian.key, { patient: patient.account, guardian: guardian.account, requesterKeyDid: duty[0]!.requesterKeyDid });
      expect((await api(guardian, "POST", `/recovery/requests/${id}/approve`, { share })).status).toBe(200);
    }

    // The heir rebuilds the master, checked against the old account's published key.
    const view = (await api<RecoveryRequestView>(heir, "GET", `/recovery/requests/${id}`)).body;
    const published = await publishedEncryptionKeyDid(patient.account, { ceramicUrl: platform.endpoints.ceramic });
    const recovered = await recoverMaster(view.shares!, heirOwn, { patient: patient.account, keyDid: published! });
    expect(recovered).toEqual(master);

    // It becomes the heir's master: kept for its new devices, published, and the record index moves over.
    const heirVault = vaultOf(heir, recovered);
    expect(await heirVault.ensureEncryptionProfile()).toBe(published);
    const heirKey = await walletKey(heir);
    expect((await api(heir, "PUT", "/keys/wrapped", { blob: JSON.stringify(await wrapMaster(recovered, heirKey.key, { kind: "wallet", did: heir.account, wallet: heirKey.params })) })).status).toBe(204);
    const moved = await heirVault.adoptRecordsOf(patient.account);
    expect(moved).toMatchObject({ alreadyHere: [], unreadable: [] });
    expect(moved.copied.map((c) => c.from)).toEqual([record.id]);
    const done = await api<RecoveryCompleted>(heir, "POST", `/recovery/requests/${id}/complete`);
    expect(done).toMatchObject({ status: 200, body: { request: { state: "completed" }, revoked: { walletKey: true, devices: 1 } } });

    // The new DID opens the old record: its header, its bytes (the same IPFS ciphertext), its receipt on chain.
    const [mine] = await heirVault.listRecords();
    expect(mine).toMatchObject({ owner: heir.account, title: "Discharge summary", cid: record.cid, commitment: record.commitment, receipt: { status: "anchored" } });
    expect(new TextDecoder().decode((await heirVault.readRecord(mine!.id)).bytes)).toBe(new TextDecoder().decode(content));
    const provider = await connectRpc(platform.endpoints.chain);
    try {
      const receipt = await heirVault.exportReceipt(mine!.id);
      const check = await verifyReceipt(content, receipt, provider, { registry: platform.deployment.contracts.RecordRegistry.address });
      expect(check.verified).toBe(true);
    } finally {
      provider.destroy();
    }

    // The old consent follows: its revoker key derives from the master, so the heir revokes it on chain.
    const [oldGrant] = await heirVault.listGrantsOf(patient.account);
    expect(oldGrant!.opening).toEqual(grant.opening);
    expect((await api(heir, "POST", "/consents/relay", await consentRevokeRequest(encryptionKeyOfMaster(recovered).secretKey, oldGrant!.opening!))).status).toBe(200);
    const consent = await fetch(`${platform.endpoints.api}/consents/${consentIdOfOpening(grant.opening!)}`);
    expect(await consent.json()).toMatchObject({ status: "revoked" });

    // The lost wallet's device key, its session still valid, opens nothing; its wallet-wrapped copy is gone.
    expect((await api(patient, "GET", laptopEntry)).body).toMatchObject({ code: "DEVICE_UNKNOWN" });
    expect((await api(patient, "GET", "/keys/wrapped")).body).toMatchObject({ code: "WRAPPED_KEY_UNKNOWN" });
    // The heir's next device: one wallet-key signature opens the recovered master from the API's copy.
    const kept = (await api<{ blob: string }>(await signIn(heir.wallet), "GET", "/keys/wrapped")).body;
    const again = await walletKey(heir, JSON.parse(kept.blob).wallet);
    expect(await unwrapMaster(JSON.parse(kept.blob), again.key, heir.account)).toEqual(master);

    // Both sides were told of every step.
    const kinds = async (who: Person) => (await api<{ notifications: Notification[] }>(who, "GET", "/notifications")).body.notifications.map((n) => n.kind).reverse();
    expect(await kinds(patient)).toEqual(["recovery.requested", "recovery.approved", "recovery.approved", "recovery.completed", "devices.revoked"]);
    expect(await kinds(heir)).toEqual(["recovery.requested", "recovery.approved", "recovery.approved", "recovery.completed"]);
    expect(await kinds(guardians[1]!)).toEqual(["guardian.named", "recovery.requested", "recovery.completed"]);
  });
});
