import { appendSealed } from "./audit.js";
import type { Engine } from "./engine.js";
import { insertNotification } from "./notifications.js";
import type { DeviceKeyStore } from "./store.js";

export function deviceKeyStore(engine: Engine): DeviceKeyStore {
  return {
    // One transaction each: an entry and its audit entry land together, and the count a limit reads
    // cannot change before the insert it allows.
    put: ({ did, deviceId, blob, label }, audit, now, max) =>
      engine.transaction(async (sql) => {
        const existing = await sql.devices.get(did, deviceId);
        if (!existing && (await sql.devices.count(did)) >= max) return "full";
        await sql.devices.upsert({ did, device_id: deviceId, blob, label, created_at: existing?.created_at ?? now, last_used_at: now });
        await appendSealed(sql, [audit], now);
        return "stored";
      }),
    use: (did, deviceId, audit, now) =>
      engine.transaction(async (sql) => {
        const row = await sql.devices.get(did, deviceId);
        if (!row) return null;
        await sql.devices.touch(did, deviceId, now);
        await appendSealed(sql, [audit], now);
        return { blob: row.blob, updatedAt: row.last_used_at };
      }),
    list: (did) =>
      engine.autocommit(async (sql) =>
        (await sql.devices.list(did)).map((row) => ({ deviceId: row.device_id, label: row.label, createdAt: row.created_at, lastUsedAt: row.last_used_at })),
      ),
    remove: (did, deviceId, audit, now) =>
      engine.transaction(async (sql) => {
        if ((await sql.devices.delete(did, deviceId)) === 0) return false;
        await appendSealed(sql, [audit], now);
        return true;
      }),
    removeAll: (did, audit, now) =>
      engine.transaction(async (sql) => {
        const count = await sql.devices.deleteAll(did);
        await appendSealed(sql, [audit(count)], now);
        await insertNotification(sql, did, { kind: "devices.revoked", count }, now);
        return count;
      }),
  };
}
