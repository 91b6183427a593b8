// The device key and the master copies wrapped to it: a known device opens the master with no wallet
// prompt. Two homes share this interface: IndexedDB with a non-extractable WebCrypto key in browsers
// (browser-keyring.ts), a 0600 key file in Node (node-keyring.ts, a Node-only entry point).
import { OpenChartError } from "../errors.js";
import type { MasterKey } from "./master-key.js";
import { unwrapMaster, wrapMaster, type WrappedMaster } from "./wrapped-master.js";

export interface DeviceKeyring {
  /** This device's AES-GCM key, made on first use. */
  deviceKey(): Promise<CryptoKey>;
  load(did: string): Promise<WrappedMaster | null>;
  save(wrapped: WrappedMaster): Promise<void>;
  /** Forgets the user's copy on this device (sign-out). */
  forget(did: string): Promise<void>;
}

/** Keeps the master on this device, wrapped to the device key. */
export async function rememberOnDevice(keyring: DeviceKeyring, did: string, master: MasterKey): Promise<void> {
  await keyring.save(await wrapMaster(master, await keyring.deviceKey(), { kind: "device", did }));
}

/**
 * The user's master from this device, or null when the device does not know it. A copy the device key
 * cannot open (the key was replaced, the copy altered) is forgotten and reported as unknown, so the
 * caller falls back to the wallet instead of failing forever.
 */
export async function unlockOnDevice(keyring: DeviceKeyring, did: string): Promise<MasterKey | null> {
  const wrapped = await keyring.load(did);
  if (!wrapped) return null;
  try {
    return await unwrapMaster(wrapped, await keyring.deviceKey(), did);
  } catch (error) {
    if (!(error instanceof OpenChartError && (error.code === "WRONG_KEY" || error.code === "INVALID_INPUT"))) throw error;
    await keyring.forget(did);
    return null;
  }
}
