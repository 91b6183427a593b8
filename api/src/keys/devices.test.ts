// Device entries against the real API on SQLite and on PostgreSQL, with real did-sessions and the sdk's
// real device keyring: a known device unlocks from its entry, "forget this device" and "sign out
// everywhere" delete entries so that the device key alone opens nothing, and another DID's session
// never reads or files an entry.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_DEVICES, newMasterKey, unlockWithDevice, wrapForDevice, type DeviceEntry, type DeviceKeyring, type DeviceList, type MasterKey } from "@openchart/sdk";
import { nodeDeviceKeyring } from "@openchart/sdk/node-keyring";
import { createDatabase, startPostgres, type PostgresServer } from "@openchart/testkit/postgres";
import { API_AUDIENCE, APP_DOMAIN } from "@openchart/testkit/session";
import { auditOf, call, notificationsOf, testUser, type TestUser } from "../../test/account-client.js";
import { startInProcessApi, type InProcessApi } from "../../test/in-process-api.js";

const ENV = { API_AUTH_DOMAINS: APP_DOMAIN, API_AUTH_AUDIENCE: API_AUDIENCE };
const work = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-devices-"));
let postgres: PostgresServer;
const apis: InProcessApi[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
  apis.push(await startInProcessApi(ENV), await startInProcessApi(ENV, { databaseUrl: await createDatabase(postgres.url, "devices_test") }));
});
afterAll(async () => {
  for (const api of apis) await api.stop();
  await postgres?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

let deviceCount = 0;
const newDevice = (): DeviceKeyring => nodeDeviceKeyring(path.join(work, `device-${++deviceCount}`));

describe.each([["SQLite", 0], ["PostgreSQL", 1]])("device entries on %s", (_engine, index) => {
  const api = () => apis[index]!;
  const path = async (device: DeviceKeyring) => `/keys/devices/${await device.deviceId()}`;

  async function remember(who: TestUser, device: DeviceKeyring, master: MasterKey, label = "Node on Linux") {
    return call(api(), who, "PUT", await path(device), { blob: JSON.stringify(await wrapForDevice(device, who.did, master)), label });
  }

  /** What a known device does on reload: fetch its entry with the kept session, open it with its key. */
  async function unlock(who: TestUser, device: DeviceKeyring): Promise<MasterKey | null> {
    const entry = await call<DeviceEntry>(api(), who, "GET", await path(device));
    if (entry.status === 404) return null;
    expect(entry.status).toBe(200);
    return unlockWithDevice(device, who.did, entry.body.blob);
  }

  it("a known device unlocks from its entry; forget one device, and sign out everywhere: the device keys alone open nothing", async () => {
    const alice = await testUser();
    const master = newMasterKey();
    const [laptop, phone] = [newDevice(), newDevice()];
    expect((await remember(alice, laptop, master, "Chromium on Linux")).status).toBe(204);
    expect((await remember(alice, phone, master, "Safari on iOS")).status).toBe(204);
    expect(await unlock(alice, laptop)).toEqual(master);
    // Another session of the same wallet (a reload that signed in again) on the same device: the same entry.
    expect(await unlock(await testUser(alice.wallet), laptop)).toEqual(master);
    const listed = await call<DeviceList>(api(), alice, "GET", "/keys/devices");
    expect(listed.body.devices.map((d) => d.label).sort()).toEqual(["Chromium on Linux", "Safari on iOS"]);
    expect(JSON.stringify(listed.body)).not.toContain('"blob"');

    // Forget this device (the phone): the phone's key opens nothing, the laptop still unlocks.
    expect((await call(api(), alice, "DELETE", await path(phone))).status).toBe(204);
    expect(await unlock(alice, phone)).toBeNull();
    expect(await unlock(alice, laptop)).toEqual(master);

    // Sign out everywhere (from the laptop): the laptop's key, with a session still valid, opens nothing.
    const everywhere = await call<{ revoked: number }>(api(), alice, "DELETE", "/keys/devices");
    expect(everywhere).toMatchObject({ status: 200, body: { revoked: 1 } });
    const refused = await call(api(), alice, "GET", await path(laptop));
    expect(refused).toMatchObject({ status: 404, body: { code: "DEVICE_UNKNOWN", detail: expect.stringMatching(/unlock it with your wallet/) } });
    expect((await call<DeviceList>(api(), alice, "GET", "/keys/devices")).body.devices).toEqual([]);
    expect((await notificationsOf(api(), alice)).map((n) => [n.kind, n.count])).toEqual([["devices.revoked", 1]]);
    expect(await auditOf(api(), alice.did, "keys.devices")).toEqual([
      { action: "keys.devices.put", decision: "accepted" },
      { action: "keys.devices.put", decision: "accepted" },
      { action: "keys.devices.get", decision: "allowed" },
      { action: "keys.devices.get", decision: "allowed" },
      { action: "keys.devices.delete", decision: "accepted" },
      { action: "keys.devices.get", decision: "refused", reason: "none" },
      { action: "keys.devices.get", decision: "allowed" },
      { action: "keys.devices.revoke-all", decision: "accepted" },
      { action: "keys.devices.get", decision: "refused", reason: "none" },
    ]);
  });

  it("a wrapped blob requested by a different DID's session: 404, and it cannot file one under another account", async () => {
    const [alice, mallory] = [await testUser(), await testUser()];
    const device = newDevice();
    const master = newMasterKey();
    await remember(alice, device, master);
    const stolen = await call(api(), mallory, "GET", await path(device));
    expect(stolen).toMatchObject({ status: 404, body: { code: "DEVICE_UNKNOWN" } });
    // Filing Alice's entry from Mallory's session: refused, nothing changed for either.
    const blob = JSON.stringify(await wrapForDevice(device, alice.did, master));
    const filed = await call(api(), mallory, "PUT", await path(device), { blob, label: "mine" });
    expect(filed).toMatchObject({ status: 403, body: { code: "FORBIDDEN", detail: expect.stringMatching(/names another account/) } });
    expect((await call(api(), mallory, "DELETE", await path(device))).status).toBe(404);
    expect((await call<DeviceList>(api(), mallory, "GET", "/keys/devices")).body.devices).toEqual([]);
    expect(await unlock(alice, device)).toEqual(master);
    // Mallory signing out everywhere touches only Mallory's devices.
    expect((await call(api(), mallory, "DELETE", "/keys/devices")).body).toEqual({ revoked: 0 });
    expect(await unlock(alice, device)).toEqual(master);
  });

  it("refuses malformed entries, wallet copies, unsigned callers and more than the device limit, storing nothing", async () => {
    const bob = await testUser();
    const device = newDevice();
    expect((await fetch(`${api().url}${await path(device)}`)).status).toBe(401);
    expect(await call(api(), bob, "PUT", await path(device), { blob: "{}", label: "x" })).toMatchObject({ status: 400, body: { detail: expect.stringMatching(/not a wrapped master key/) } });
    const wallet = { ...(await wrapForDevice(device, bob.did, newMasterKey())), kind: "wallet", wallet: { chainId: 31337, nonce: "abcdefgh12", issuedAt: new Date().toISOString() } };
    expect(await call(api(), bob, "PUT", await path(device), { blob: JSON.stringify(wallet), label: "x" })).toMatchObject({ status: 400, body: { detail: expect.stringMatching(/PUT \/keys\/wrapped/) } });
    expect((await call(api(), bob, "PUT", "/keys/devices/not-an-id", { blob: "{}", label: "x" })).status).toBe(400);
    expect((await call(api(), bob, "GET", await path(device))).status).toBe(404);

    const master = newMasterKey();
    const kept = Array.from({ length: MAX_DEVICES }, newDevice);
    for (const known of kept) expect((await remember(bob, known, master)).status).toBe(204);
    const extra = newDevice();
    expect(await remember(bob, extra, master)).toMatchObject({ status: 409, body: { code: "TOO_MANY_DEVICES" } });
    expect(await unlock(bob, extra)).toBeNull();
    // Replacing a known device's entry is not a new device.
    expect((await remember(bob, kept[0]!, master, "renamed")).status).toBe(204);
    const listed = (await call<DeviceList>(api(), bob, "GET", "/keys/devices")).body.devices;
    expect(listed).toHaveLength(MAX_DEVICES);
    expect(listed.filter((d) => d.label === "renamed")).toHaveLength(1);
  });
});
