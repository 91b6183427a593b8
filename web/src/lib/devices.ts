// Settings, "Your devices": the device entries the API keeps for this account (the master wrapped to each
// device's own key), forgetting one, and "sign out everywhere". Deleting an entry is what signs a device
// out for good: its device key alone opens nothing, even while a copied session still lasts.
import type { DeviceList, DeviceSummary, DevicesRevoked } from "@openchart/sdk";
import type { ApiClient } from "./api";
import { formatTime } from "./format";
import { forgetSession } from "./kept-session";
import { UserFacingError } from "./problems";

export interface DeviceRow extends DeviceSummary {
  thisDevice: boolean;
  /** "Chromium on Linux (this device): added 2026-11-24 01:02 UTC, last opened 2026-11-25 09:00 UTC". */
  description: string;
}

/** The account's devices, this one first, then the most recently used. */
export async function listDevices(api: Pick<ApiClient, "signed">, thisDeviceId: string): Promise<DeviceRow[]> {
  const { devices } = await api.signed<DeviceList>("GET", "/keys/devices");
  return devices
    .map((d) => ({ ...d, thisDevice: d.deviceId === thisDeviceId, description: describeDevice(d, d.deviceId === thisDeviceId) }))
    .sort((a, b) => Number(b.thisDevice) - Number(a.thisDevice) || b.lastUsedAt - a.lastUsedAt);
}

export function describeDevice(device: DeviceSummary, thisDevice: boolean): string {
  return `${device.label}${thisDevice ? " (this device)" : ""}: added ${formatTime(device.createdAt)}, last opened ${formatTime(device.lastUsedAt)}`;
}

/**
 * Forgets one device: the API deletes its entry. Forgetting the device this page runs on also forgets the
 * kept session here: it is a sign-out. Returns whether this device was signed out.
 */
export async function forgetDevice(api: Pick<ApiClient, "signed">, deviceId: string, thisDeviceId: string, storage: Storage = localStorage): Promise<boolean> {
  await api.signed("DELETE", `/keys/devices/${deviceId}`).catch((error: unknown) => {
    // Already gone (another device forgot it, or signed out everywhere): what the user asked for is done.
    if (!(error instanceof UserFacingError && error.code === "DEVICE_UNKNOWN")) throw error;
  });
  if (deviceId !== thisDeviceId) return false;
  forgetSession(storage);
  return true;
}

/**
 * Sign out everywhere: the API deletes every device entry of the account (this one's too), then this
 * device forgets its kept session. Returns how many entries went. Nothing is forgotten here when the API
 * refused: the user stays signed in and can try again.
 */
export async function signOutEverywhere(api: Pick<ApiClient, "signed">, storage: Storage = localStorage): Promise<number> {
  const { revoked } = await api.signed<DevicesRevoked>("DELETE", "/keys/devices");
  forgetSession(storage);
  return revoked;
}

/** What the confirmation says before "sign out everywhere" happens. */
export const SIGN_OUT_EVERYWHERE_CONSEQUENCES = [
  "Every device stops opening your records, this one included: their keys are deleted from OpenChart.",
  "This device is signed out now. Signing in again on any device asks your wallet twice (sign-in, then unlocking your keys).",
  "Your records, shares and guardians stay as they are. Records a device already opened and saved are not taken back.",
] as const;
