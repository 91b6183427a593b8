// The device key, and the master wrapped to it. The wrapped copy does not stay on the device: the API keeps
// it per device (`PUT/GET/DELETE /keys/devices/:deviceId`, behind the user's own signed-in session), so
// "forget this device" and "sign out everywhere" take effect on the server, and a device key alone (a
// stolen laptop, a copied browser profile) opens nothing once its entry is deleted. A known device still
// opens the master with no wallet prompt: its kept did-session signs the GET, its device key unwraps.
//
// Two homes share this interface: IndexedDB with a non-extractable WebCrypto key in browsers
// (browser-keyring.ts), a 0600 key file in Node (node-keyring.ts, a Node-only entry point).
import { OpenChartError } from "../errors.js";
import type { MasterKey } from "./master-key.js";
import { parseWrappedMaster, unwrapMaster, wrapMaster, type WrappedMaster } from "./wrapped-master.js";

export interface DeviceKeyring {
  /** This device's AES-GCM key, made on first use. */
  deviceKey(): Promise<CryptoKey>;
  /** This device's random ID (32 hex digits), made with its key: it names the device's entry at the API. */
  deviceId(): Promise<string>;
}

/** The master wrapped to this device's key: the `blob` of `PUT /keys/devices/:deviceId` (as JSON). */
export async function wrapForDevice(keyring: DeviceKeyring, did: string, master: MasterKey): Promise<WrappedMaster> {
  return wrapMaster(master, await keyring.deviceKey(), { kind: "device", did });
}

/**
 * Opens the entry `GET /keys/devices/:deviceId` returned (its `blob`) with this device's key. Null when
 * the key cannot open it (the device's key was replaced, or the entry is another device's): the caller
 * falls back to the wallet key, as it does when the API has no entry (404 DEVICE_UNKNOWN).
 */
export async function unlockWithDevice(keyring: DeviceKeyring, did: string, blob: string | WrappedMaster): Promise<MasterKey | null> {
  const wrapped = parseWrappedMaster(blob);
  if (wrapped.kind !== "device") return null;
  try {
    return await unwrapMaster(wrapped, await keyring.deviceKey(), did);
  } catch (error) {
    if (error instanceof OpenChartError && error.code === "WRONG_KEY") return null;
    throw error;
  }
}
