// The device keyring in Node (CLI, scripts, agents): the device key is 32 random bytes in a file readable
// by its owner only (0600), the wrapped copies are JSON files beside it. A key file others can read is
// refused rather than used: whoever reads it opens the master.
import fs from "node:fs/promises";
import path from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, randomBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { OpenChartError } from "../errors.js";
import type { DeviceKeyring } from "./device-keyring.js";
import { parseWrappedMaster, type WrappedMaster } from "./wrapped-master.js";

export const DEVICE_KEY_FILE = "device.key";

export function nodeDeviceKeyring(dir: string): DeviceKeyring {
  const keyFile = path.join(dir, DEVICE_KEY_FILE);
  const copyFile = (did: string) => path.join(dir, `master-${bytesToHex(sha256(utf8ToBytes(did))).slice(0, 32)}.json`);
  let key: Promise<CryptoKey> | undefined;

  async function readOrCreate(): Promise<CryptoKey> {
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
    return crypto.subtle.importKey("raw", raw as Uint8Array<ArrayBuffer>, "AES-GCM", false, ["encrypt", "decrypt"]);
  }

  return {
    deviceKey: () => (key ??= readOrCreate().catch((error) => ((key = undefined), Promise.reject(error)))),
    async load(did) {
      try {
        return parseWrappedMaster(await fs.readFile(copyFile(did), "utf8"));
      } catch (error) {
        if ((error as { code?: string }).code === "ENOENT") return null;
        throw error;
      }
    },
    async save(wrapped: WrappedMaster) {
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      const file = copyFile(wrapped.did);
      await fs.writeFile(`${file}.tmp`, JSON.stringify(wrapped), { mode: 0o600 });
      await fs.rename(`${file}.tmp`, file);
    },
    async forget(did) {
      await fs.rm(copyFile(did), { force: true });
    },
  };
}
