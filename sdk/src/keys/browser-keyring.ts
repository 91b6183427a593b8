// The device keyring in browsers: a non-extractable AES-GCM CryptoKey kept in IndexedDB with the device's
// random ID (browsers store CryptoKey objects as they are, so the page can use the key but no script can
// read its bytes). The master wrapped to it is kept by the API per device (see device-keyring.ts). A
// script running in the page can still ask the key to decrypt, as it could read the page: the key
// protects against copying the storage off the device, not against XSS.
import { bytesToHex, randomBytes } from "@noble/hashes/utils.js";
import type { DeviceKeyring } from "./device-keyring.js";

const KEY_STORE = "device-key";
const DEVICE = "device";
/** Version 1 kept wrapped copies of the master here; version 2 drops them (the API keeps them now). */
const DB_VERSION = 2;

interface StoredDevice {
  key: CryptoKey;
  id: string;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDb(name: string): Promise<IDBDatabase> {
  const req = indexedDB.open(name, DB_VERSION);
  req.onupgradeneeded = (event) => {
    const db = req.result;
    if (event.oldVersion < 1) db.createObjectStore(KEY_STORE);
    // A copy of the master kept on the device would open it with no server entry, whatever "sign out
    // everywhere" did: version 1's copies (and the key that wrapped them) go.
    if (db.objectStoreNames.contains("masters")) db.deleteObjectStore("masters");
    if (event.oldVersion >= 1) req.transaction!.objectStore(KEY_STORE).delete("key");
  };
  return request(req);
}

export function browserDeviceKeyring(dbName = "openchart-keys"): DeviceKeyring {
  let db: Promise<IDBDatabase> | undefined;
  const database = () => (db ??= openDb(dbName));
  const store = async (mode: IDBTransactionMode) => (await database()).transaction(KEY_STORE, mode).objectStore(KEY_STORE);
  let device: Promise<StoredDevice> | undefined;

  async function readOrCreate(): Promise<StoredDevice> {
    const existing = (await request((await store("readonly")).get(DEVICE))) as StoredDevice | undefined;
    if (existing) return existing;
    const made: StoredDevice = {
      key: await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]),
      id: bytesToHex(randomBytes(16)),
    };
    // `add`, not `put`: a second tab that made its own key at the same moment loses, and reads the winner's.
    try {
      await request((await store("readwrite")).add(made, DEVICE));
      return made;
    } catch {
      return (await request((await store("readonly")).get(DEVICE))) as StoredDevice;
    }
  }

  const current = () => (device ??= readOrCreate().catch((error) => ((device = undefined), Promise.reject(error))));
  return {
    deviceKey: async () => (await current()).key,
    deviceId: async () => (await current()).id,
  };
}
