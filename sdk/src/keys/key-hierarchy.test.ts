import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { afterAll, describe, expect, it } from "vitest";
import { consentKeyOf } from "../consent.js";
import { encryptionKeyFromSigner } from "../crypto/encryption-key.js";
import { headerKeyOf, openJson, sealJson } from "../crypto/sealed-json.js";
import { unlockWithDevice, wrapForDevice } from "./device-keyring.js";
import { adoptEncryptionKey, encryptionKeyOfMaster, newMasterKey } from "./master-key.js";
import { nodeDeviceKeyring } from "./node-keyring.js";
import { newWalletKeyParams, walletKeyMessage, walletKeyOf } from "./wallet-key.js";
import { parseWrappedMaster, unwrapMaster, wrapMaster } from "./wrapped-master.js";

const wallet = new Wallet("0x" + "11".repeat(32));
const did = `did:pkh:eip155:31337:${wallet.address.toLowerCase()}`;
const APP = "http://127.0.0.1:5173";
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-keys-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

async function walletKey(signer: Wallet, origin: string, params = newWalletKeyParams(31337)) {
  const request = { ...params, origin, address: signer.address };
  return { params, key: await walletKeyOf(await signer.signMessage(walletKeyMessage(request)), request) };
}

describe("master key", () => {
  it("derives the X25519 key from a new master through HKDF, never the master itself", () => {
    const master = newMasterKey();
    const pair = encryptionKeyOfMaster(master);
    expect(Buffer.from(pair.secretKey).equals(master.secret)).toBe(false);
    expect(encryptionKeyOfMaster({ ...master }).did).toBe(pair.did);
    expect(encryptionKeyOfMaster(newMasterKey()).did).not.toBe(pair.did);
  });

  it("adopts an existing user's wallet-derived key: same X25519 key, header key and consent keys", async () => {
    const legacy = await encryptionKeyFromSigner(wallet, 31337);
    const adopted = encryptionKeyOfMaster(adoptEncryptionKey(legacy));
    expect(adopted.did).toBe(legacy.did);
    expect(adopted.secretKey).toEqual(legacy.secretKey);
    expect(headerKeyOf(adopted.secretKey)).toEqual(headerKeyOf(legacy.secretKey));
    const salt = `0x${"ab".repeat(32)}` as const;
    expect(consentKeyOf(adopted.secretKey, salt).address).toBe(consentKeyOf(legacy.secretKey, salt).address);
  });

  it("refuses a master of the wrong size or scheme", () => {
    expect(() => encryptionKeyOfMaster({ scheme: "hkdf-v1", secret: new Uint8Array(31) })).toThrow(/32 bytes/);
    expect(() => encryptionKeyOfMaster({ scheme: "other" as "hkdf-v1", secret: new Uint8Array(32) })).toThrow(/scheme/);
  });
});

describe("device keyring (Node, key file)", () => {
  it("keeps the device key in a 0600 file with a stable ID; the master wrapped to it opens with it again from a new process's keyring", async () => {
    const dir = tempDir();
    const master = newMasterKey();
    const blob = JSON.stringify(await wrapForDevice(nodeDeviceKeyring(dir), did, master));
    expect(fs.statSync(path.join(dir, "device.key")).mode & 0o777).toBe(0o600);
    // Nothing but the key on disk: the wrapped copy is the API's to keep (PUT /keys/devices/:deviceId).
    expect(fs.readdirSync(dir)).toEqual(["device.key"]);
    expect(blob).not.toContain(Buffer.from(master.secret).toString("hex"));
    const again = nodeDeviceKeyring(dir);
    expect(await again.deviceId()).toBe(await nodeDeviceKeyring(dir).deviceId());
    expect(await again.deviceId()).toMatch(/^[0-9a-f]{32}$/);
    expect(await unlockWithDevice(again, did, blob)).toEqual(master);
  });

  it("another device's key opens nothing: the entry reads as unknown, so the caller falls back to the wallet", async () => {
    const dir = tempDir();
    const blob = await wrapForDevice(nodeDeviceKeyring(dir), did, newMasterKey());
    const other = nodeDeviceKeyring(tempDir());
    expect(await other.deviceId()).not.toBe(await nodeDeviceKeyring(dir).deviceId());
    await expect(unwrapMaster(blob, await other.deviceKey(), did)).rejects.toMatchObject({ code: "WRONG_KEY" });
    expect(await unlockWithDevice(other, did, blob)).toBeNull();
    // A wallet-wrapped copy is not a device entry either.
    const wallet = await walletKey(new Wallet("0x" + "11".repeat(32)), APP);
    const walletCopy = await wrapMaster(newMasterKey(), wallet.key, { kind: "wallet", did, wallet: wallet.params });
    expect(await unlockWithDevice(nodeDeviceKeyring(dir), did, walletCopy)).toBeNull();
  });

  it("deletes master copies an earlier version kept beside the key (they would open with no server entry)", async () => {
    const dir = tempDir();
    await nodeDeviceKeyring(dir).deviceKey();
    fs.writeFileSync(path.join(dir, `master-${"ab".repeat(16)}.json`), "{}", { mode: 0o600 });
    await nodeDeviceKeyring(dir).deviceKey();
    expect(fs.readdirSync(dir)).toEqual(["device.key"]);
  });

  it("refuses a key file that others can read", async () => {
    const dir = tempDir();
    await nodeDeviceKeyring(dir).deviceKey();
    fs.chmodSync(path.join(dir, "device.key"), 0o644);
    await expect(nodeDeviceKeyring(dir).deviceKey()).rejects.toThrow(/readable by others.*chmod 600/);
  });

  it("refuses a copy moved to another user's name", async () => {
    const keyring = nodeDeviceKeyring(tempDir());
    const copy = await wrapForDevice(keyring, did, newMasterKey());
    const other = "did:pkh:eip155:31337:0x" + "22".repeat(20);
    await expect(unwrapMaster({ ...copy, did: other }, await keyring.deviceKey(), other)).rejects.toMatchObject({ code: "WRONG_KEY" });
    await expect(unwrapMaster(copy, await keyring.deviceKey(), "did:pkh:eip155:1:0xother")).rejects.toMatchObject({ code: "WRONG_KEY" });
    expect(await unlockWithDevice(keyring, other, copy)).toBeNull();
  });
});

describe("wallet key (SIWE, origin-bound)", () => {
  it("is an EIP-4361 message whose domain is the app's origin", () => {
    const text = walletKeyMessage({ ...newWalletKeyParams(31337, new Date("2026-01-01T00:00:00Z")), origin: APP, address: wallet.address });
    expect(text.split("\n")[0]).toBe("127.0.0.1:5173 wants you to sign in with your Ethereum account:");
    expect(text).toContain(`\nURI: ${APP}\nVersion: 1\nChain ID: 31337\nNonce: `);
    expect(text).toContain("\nIssued At: 2026-01-01T00:00:00.000Z");
  });

  it("re-derives the same key from the same wallet on a new device, and opens the copy", async () => {
    const master = newMasterKey();
    const first = await walletKey(wallet, APP);
    const copy = await wrapMaster(master, first.key, { kind: "wallet", did, wallet: first.params });
    const stored = parseWrappedMaster(JSON.stringify(copy));
    const again = await walletKey(wallet, APP, stored.wallet);
    expect(await unwrapMaster(stored, again.key, did)).toEqual(master);
  });

  it("a signature another origin obtained derives another key and opens nothing", async () => {
    const mine = await walletKey(wallet, APP);
    const copy = await wrapMaster(newMasterKey(), mine.key, { kind: "wallet", did, wallet: mine.params });
    // The phishing page asked the same wallet, with the same parameters, under its own domain.
    const phished = await walletKey(wallet, "https://openchart-login.example", copy.wallet);
    await expect(unwrapMaster(copy, phished.key, did)).rejects.toMatchObject({ code: "WRONG_KEY" });
    // Presented as if it were for this app, the signature does not verify against this app's message.
    const request = { ...copy.wallet!, origin: APP, address: wallet.address };
    const foreign = await wallet.signMessage(walletKeyMessage({ ...request, origin: "https://openchart-login.example" }));
    await expect(walletKeyOf(foreign, request)).rejects.toMatchObject({ code: "WRONG_KEY" });
  });

  it("the old fixed-message signature (issue 13, item 12) opens nothing of a new user's: not a header, not a consent", async () => {
    // The pre-hierarchy key came from one EIP-712 signature over a fixed message with no origin. A page that
    // obtains that signature from a user whose master is random derives an unrelated key.
    const master = newMasterKey();
    const mine = encryptionKeyOfMaster(master);
    const phished = await encryptionKeyFromSigner(wallet, 31337);
    expect(phished.did).not.toBe(mine.did);
    const header = await sealJson({ title: "psychiatry referral" }, headerKeyOf(mine.secretKey));
    await expect(openJson(header, headerKeyOf(phished.secretKey))).rejects.toMatchObject({ code: "WRONG_KEY" });
    const salt = `0x${"cd".repeat(32)}` as const;
    expect(consentKeyOf(phished.secretKey, salt).address).not.toBe(consentKeyOf(mine.secretKey, salt).address);
  });

  it("another wallet's signature opens nothing", async () => {
    const mine = await walletKey(wallet, APP);
    const copy = await wrapMaster(newMasterKey(), mine.key, { kind: "wallet", did, wallet: mine.params });
    const request = { ...copy.wallet!, origin: APP, address: wallet.address };
    const stranger = Wallet.createRandom();
    await expect(walletKeyOf(await stranger.signMessage(walletKeyMessage(request)), request)).rejects.toMatchObject({ code: "WRONG_KEY" });
  });

  it("refuses malformed copies with a sentence", () => {
    expect(() => parseWrappedMaster("{}")).toThrow(/not a wrapped master key/);
    expect(() => parseWrappedMaster("x".repeat(5000))).toThrow(/at most 2048/);
  });
});
