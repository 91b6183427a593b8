// The device keyring in Node (CLI, scripts, agents): the device key is 32 random bytes in a file readable
// by its owner only (0600). A key file others can read is refused rather than used. The master wrapped to
// it is kept by the API per device (see device-keyring.ts); the device's ID is a hash of its key, so the
// two can never disagree.
import fs from "node:fs/promises";
import path from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, concatBytes, randomBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { OpenChartError } from "../errors.js";
import type { DeviceKeyring } from "./device-keyring.js";

export const DEVICE_KEY_FILE = "device.key";
const DEVICE_ID_LABEL = utf8ToBytes("OpenChart device id v1");

export function nodeDeviceKeyring(dir: string): DeviceKeyring {
  const keyFile = path.join(dir, DEVICE_KEY_FILE);
  let device: Promise<{ key: CryptoKey; id: string }> | undefined;

  async function readOrCreate(): Promise<{ key: CryptoKey; id: string }> {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    let raw: Uint8Array;
    try {
      const handle = await fs.open(keyFile, "wx", 0o600);
      raw = randomBytes(32);
      await handle.writeFile(raw);
      await handle.sync();
      await handle.close();
    } catch (error) {
      if ((error as { code?: string }).code !== "EEXIST") throw error;
      const stat = await fs.stat(keyFile);
      if ((stat.mode & 0o077) !== 0) {
        throw new OpenChartError("INVALID_INPUT", `${keyFile} is readable by others (mode ${(stat.mode & 0o777).toString(8)}): run chmod 600 on it`);
      }
      raw = new Uint8Array(await fs.readFile(keyFile));
      if (raw.length !== 32) throw new OpenChartError("INVALID_INPUT", `${keyFile} is not a device key (32 bytes expected, got ${raw.length})`);
    }
    // Copies of the master an earlier version kept beside the key would open it with no server entry.
    for (const name of await fs.readdir(dir)) if (/^master-[0-9a-f]{32}\.json$/.test(name)) await fs.rm(path.join(dir, name), { force: true });
    const id = bytesToHex(sha256(concatBytes(DEVICE_ID_LABEL, raw)).subarray(0, 16));
    const key = await crypto.subtle.importKey("raw", raw as Uint8Array<ArrayBuffer>, "AES-GCM", false, ["encrypt", "decrypt"]);
    return { key, id };
  }

  const current = () => (device ??= readOrCreate().catch((error) => ((device = undefined), Promise.reject(error))));
  return {
    deviceKey: async () => (await current()).key,
    deviceId: async () => (await current()).id,
  };
}
