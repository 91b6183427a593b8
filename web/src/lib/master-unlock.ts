// How a signed-in user's master key reaches this tab, with the fewest wallet prompts:
// 1. this device knows it: the API keeps an entry for this device (the master wrapped to the device's
//    non-extractable key in IndexedDB), which the kept session fetches and the device key opens: no
//    prompt. "Sign out", "forget this device" and "sign out everywhere" delete entries, and a device key
//    alone opens nothing;
// 2. else the API keeps it wrapped to the wallet key: one prompt (the origin-bound SIWE message);
// 3. else it is the user's first sign-in since keys have a master: a new user gets a random master, an
//    existing user (with a published encryption key) adopts their wallet-derived key as the master (one
//    extra prompt, once: the EIP-712 message it was derived from), and the master is wrapped to the wallet
//    key for their next devices (one prompt) and kept for them by the API.
// Whatever way it came, the API then keeps this device's entry for the next reload, tab or session.
import {
  adoptEncryptionKey,
  browserDeviceKeyring,
  encryptionKeyFromProvider,
  newMasterKey,
  newWalletKeyParams,
  parseWrappedMaster,
  unlockWithDevice,
  unwrapMaster,
  walletKeyFromProvider,
  wrapForDevice,
  wrapMaster,
  type DeviceEntry,
  type DeviceKeyring,
  type MasterKey,
} from "@openchart/sdk";
import { opensAnyRecord, publishedEncryptionKeyDid, sampleRecords } from "@openchart/sdk/vault";
import type { ApiClient } from "./api";
import type { WebConfig } from "./config";
import { UserFacingError } from "./problems";
import type { Eip1193Provider } from "./wallet";

export type UnlockStep = "wallet-key" | "encryption-key";

export interface UnlockInput {
  account: string;
  address: string;
  api: ApiClient;
  config: WebConfig;
  /** Needed only when this device does not know the master. */
  provider?: Eip1193Provider;
  onStep?: (step: UnlockStep) => void;
  keyring?: DeviceKeyring;
}

let sharedKeyring: DeviceKeyring | undefined;
export const deviceKeyring = (): DeviceKeyring => (sharedKeyring ??= browserDeviceKeyring());

/**
 * The master from this device alone (no wallet prompt): its entry at the API, opened by its device key.
 * Null when the API keeps no entry for this device (never unlocked here, signed out, forgotten, or signed
 * out everywhere) or the entry does not open with this device's key.
 */
export async function masterOnDevice(account: string, api: ApiClient, keyring = deviceKeyring()): Promise<MasterKey | null> {
  const entry = await api.signed<DeviceEntry>("GET", `/keys/devices/${await keyring.deviceId()}`).catch((error: unknown) => {
    if (error instanceof UserFacingError && error.code === "DEVICE_UNKNOWN") return null;
    throw error;
  });
  return entry ? unlockWithDevice(keyring, account, entry.blob) : null;
}

/** Keeps the master for this device: wrapped to its key, the entry kept by the API behind the session. */
export async function rememberDevice(account: string, api: ApiClient, master: MasterKey, keyring = deviceKeyring()): Promise<void> {
  const blob = JSON.stringify(await wrapForDevice(keyring, account, master));
  await api.signed("PUT", `/keys/devices/${await keyring.deviceId()}`, { blob, label: deviceLabel() });
}

/** What a user recognises this device by in their device list: browser and system, nothing more. */
export function deviceLabel(userAgent = navigator.userAgent): string {
  const browser = /Edg\//.test(userAgent) ? "Edge" : /Firefox\//.test(userAgent) ? "Firefox" : /Chrom(e|ium)\//.test(userAgent) ? "Chromium" : /Safari\//.test(userAgent) ? "Safari" : "A browser";
  const system = /Android/.test(userAgent) ? "Android" : /iPhone|iPad/.test(userAgent) ? "iOS" : /Mac OS X/.test(userAgent) ? "macOS" : /Windows/.test(userAgent) ? "Windows" : /Linux/.test(userAgent) ? "Linux" : "another system";
  return `${browser} on ${system}`;
}

export async function unlockMaster(input: UnlockInput): Promise<MasterKey> {
  const keyring = input.keyring ?? deviceKeyring();
  const known = await masterOnDevice(input.account, input.api, keyring);
  if (known) return known;
  const provider = input.provider;
  if (!provider) throw new UserFacingError("Connect your wallet to open your records on this device.", "WALLET_NEEDED");
  const step = input.onStep ?? (() => {});
  const kept = await input.api.signed<{ blob: string }>("GET", "/keys/wrapped").catch((error: unknown) => {
    if (error instanceof UserFacingError && error.code === "WRAPPED_KEY_UNKNOWN") return null;
    throw error;
  });
  let master: MasterKey;
  if (kept) {
    const wrapped = parseWrappedMaster(kept.blob);
    step("wallet-key");
    const key = await walletKeyFromProvider(provider, { ...wrapped.wallet!, origin: location.origin, address: input.address });
    master = await unwrapMaster(wrapped, key, input.account);
  } else {
    master = await firstMaster(input, provider, step);
    await keepForNewDevices({ ...input, provider, onStep: step }, master);
  }
  await rememberDevice(input.account, input.api, master, keyring);
  return master;
}

/**
 * Wraps the master to a new wallet key (one prompt: the origin-bound wallet-key message) and has the API
 * keep it for the user's next devices, replacing the copy it kept: on a first sign-in, and when a
 * recovered master replaces the one a new wallet started with.
 */
export async function keepForNewDevices(input: Omit<UnlockInput, "provider" | "keyring"> & { provider: Eip1193Provider }, master: MasterKey): Promise<void> {
  const params = newWalletKeyParams(input.config.chainId);
  input.onStep?.("wallet-key");
  const key = await walletKeyFromProvider(input.provider, { ...params, origin: location.origin, address: input.address });
  const wrapped = await wrapMaster(master, key, { kind: "wallet", did: input.account, wallet: params });
  await input.api.signed("PUT", "/keys/wrapped", { blob: JSON.stringify(wrapped) });
}

async function firstMaster(input: UnlockInput, provider: Eip1193Provider, step: (s: UnlockStep) => void): Promise<MasterKey> {
  const ceramic = { ceramicUrl: input.config.ceramicUrl };
  const published = await publishedEncryptionKeyDid(input.account, ceramic);
  // No published key is not proof of a new user (a profile write can be lost: see sampleRecords): with records,
  // only the wallet-derived key that opens them is taken, never a new master published over them.
  const records = published ? [] : await sampleRecords(input.account, ceramic);
  if (!published && records.length === 0) return newMasterKey();
  step("encryption-key");
  const legacy = await encryptionKeyFromProvider(provider, { address: input.address, chainId: input.config.chainId });
  // A published key that is not the wallet-derived one came from a master whose kept copy is missing:
  // adopting the wallet-derived key would publish a key that opens none of the user's records.
  if (published && legacy.did !== published) throw masterMissing(`published ${published}, wallet-derived ${legacy.did}`);
  if (!published && !(await opensAnyRecord(records, legacy))) throw masterMissing(`no published key, and the wallet-derived ${legacy.did} opens none of the records`);
  return adoptEncryptionKey(legacy);
}

function masterMissing(detail: string): UserFacingError {
  return new UserFacingError("Your records are locked to a key this device cannot find. Sign in on a device you used before to open them.", "MASTER_MISSING", detail);
}

/** Sign-out: the API forgets this device's entry (the wallet-wrapped copy stays, for the user's devices). */
export async function forgetThisDevice(api: ApiClient, keyring = deviceKeyring()): Promise<void> {
  await api.signed("DELETE", `/keys/devices/${await keyring.deviceId()}`).catch((error: unknown) => {
    if (!(error instanceof UserFacingError && error.code === "DEVICE_UNKNOWN")) throw error;
  });
}
