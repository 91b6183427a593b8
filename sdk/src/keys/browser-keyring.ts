// The device keyring in browsers: a non-extractable AES-GCM CryptoKey kept in IndexedDB (browsers store
// CryptoKey objects as they are, so the page can use the key but no script can read its bytes), and the
// wrapped copies beside it. A script running in the page can still ask the key to decrypt, as it could
// read the page: the key protects against copying the storage off the device, not against XSS.
import type { DeviceKeyring } from "./device-keyring.js";
import { parseWrappedMaster, type WrappedMaster } from "./wrapped-master.js";

const KEY_STORE = "device-key";
const COPY_STORE = "masters";

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDb(name: string): Promise<IDBDatabase> {
  const req = indexedDB.open(name, 1);
  req.onupgradeneeded = () => {
    req.result.createObjectStore(KEY_STORE);
    req.result.createObjectStore(COPY_STORE);
  };
  return request(req);
}

export function browserDeviceKeyring(dbName = "openchart-keys"): DeviceKeyring {
  let db: Promise<IDBDatabase> | undefined;
  const database = () => (db ??= openDb(dbName));
  const store = async (name: string, mode: IDBTransactionMode) => (await database()).transaction(name, mode).objectStore(name);
  let key: Promise<CryptoKey> | undefined;

  async function readOrCreate(): Promise<CryptoKey> {
    const existing = (await request((await store(KEY_STORE, "readonly")).get("key"))) as CryptoKey | undefined;
    if (existing) return existing;
    const made = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
    // `add`, not `put`: a second tab that made its own key at the same moment loses, and reads the winner's.
    try {
      await request((await store(KEY_STORE, "readwrite")).add(made, "key"));
      return made;
    } catch {
      return (await request((await store(KEY_STORE, "readonly")).get("key"))) as CryptoKey;
    }
  }

  return {
    deviceKey: () => (key ??= readOrCreate().catch((error) => ((key = undefined), Promise.reject(error)))),
    async load(did) {
      const value: unknown = await request((await store(COPY_STORE, "readonly")).get(did));
      return value === undefined ? null : parseWrappedMaster(value);
    },
    async save(wrapped: WrappedMaster) {
      await request((await store(COPY_STORE, "readwrite")).put(wrapped, wrapped.did));
    },
    async forget(did) {
      await request((await store(COPY_STORE, "readwrite")).delete(did));
    },
  };
}
