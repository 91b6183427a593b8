import type Database from "better-sqlite3";
import type { ApprovalDbRow, DeviceKeyDbRow, GuardedDbRow, GuardianDbRow, GuardianSetDbRow, NotificationDbRow, RecoveryDbRow } from "./account-rows.js";
import type { Sql } from "./engine.js";

/** The SQL of the account tables on SQLite (see schema.ts `accountTables`). */
export function sqliteAccountSql(db: Database.Database): Pick<Sql, "devices" | "recovery" | "notifications"> {
  const q = {
    deviceUpsert: db.prepare(
      `INSERT INTO device_keys (did, device_id, blob, label, created_at, last_used_at) VALUES (@did, @device_id, @blob, @label, @created_at, @last_used_at)
       ON CONFLICT (did, device_id) DO UPDATE SET blob = excluded.blob, label = excluded.label, last_used_at = excluded.last_used_at`,
    ),
    deviceGet: db.prepare<[string, string], DeviceKeyDbRow>("SELECT * FROM device_keys WHERE did = ? AND device_id = ?"),
    deviceTouch: db.prepare("UPDATE device_keys SET last_used_at = ? WHERE did = ? AND device_id = ?"),
    deviceList: db.prepare<[string], DeviceKeyDbRow>("SELECT * FROM device_keys WHERE did = ? ORDER BY created_at, device_id"),
    deviceCount: db.prepare<[string], { count: number }>("SELECT count(*) AS count FROM device_keys WHERE did = ?"),
    deviceDelete: db.prepare("DELETE FROM device_keys WHERE did = ? AND device_id = ?"),
    deviceDeleteAll: db.prepare("DELETE FROM device_keys WHERE did = ?"),
    set: db.prepare<[string], GuardianSetDbRow>("SELECT * FROM guardian_sets WHERE patient = ?"),
    guardiansOf: db.prepare<[string], GuardianDbRow>("SELECT * FROM guardians WHERE patient = ? ORDER BY position"),
    guardedBy: db.prepare<[string], GuardedDbRow>(
      `SELECT g.*, s.set_id, s.threshold, s.updated_at, (SELECT count(*) FROM guardians c WHERE c.patient = g.patient) AS count
       FROM guardians g JOIN guardian_sets s ON s.patient = g.patient WHERE g.guardian = ? ORDER BY s.updated_at DESC`,
    ),
    deleteSet: db.prepare("DELETE FROM guardian_sets WHERE patient = ?"),
    deleteGuardians: db.prepare("DELETE FROM guardians WHERE patient = ?"),
    insertSet: db.prepare("INSERT INTO guardian_sets (patient, set_id, threshold, updated_at) VALUES (@patient, @set_id, @threshold, @updated_at)"),
    insertGuardian: db.prepare("INSERT INTO guardians (patient, guardian, position, key_did, share) VALUES (@patient, @guardian, @position, @key_did, @share)"),
    insertRequest: db.prepare(
      `INSERT INTO recovery_requests (id, patient, requester, requester_key, set_id, threshold, created_at, ready_at, state, closed_at)
       VALUES (@id, @patient, @requester, @requester_key, @set_id, @threshold, @created_at, @ready_at, @state, @closed_at)`,
    ),
    insertRequestGuardian: db.prepare("INSERT INTO recovery_guardians (request_id, guardian) VALUES (?, ?)"),
    request: db.prepare<[string], RecoveryDbRow>("SELECT * FROM recovery_requests WHERE id = ?"),
    byPatient: db.prepare<[string, number], RecoveryDbRow>("SELECT * FROM recovery_requests WHERE patient = ? ORDER BY created_at DESC, id LIMIT ?"),
    byRequester: db.prepare<[string, number], RecoveryDbRow>("SELECT * FROM recovery_requests WHERE requester = ? ORDER BY created_at DESC, id LIMIT ?"),
    byGuardian: db.prepare<[string, number], RecoveryDbRow>(
      "SELECT r.* FROM recovery_requests r JOIN recovery_guardians g ON g.request_id = r.id WHERE g.guardian = ? ORDER BY r.created_at DESC, r.id LIMIT ?",
    ),
    requestGuardians: db.prepare<[string], { guardian: string }>("SELECT guardian FROM recovery_guardians WHERE request_id = ? ORDER BY guardian"),
    close: db.prepare("UPDATE recovery_requests SET state = ?, closed_at = ? WHERE id = ? AND state = 'waiting'"),
    approvals: db.prepare<[string], ApprovalDbRow>("SELECT * FROM recovery_approvals WHERE request_id = ? ORDER BY approved_at, guardian"),
    insertApproval: db.prepare("INSERT INTO recovery_approvals (request_id, guardian, share, approved_at) VALUES (@request_id, @guardian, @share, @approved_at)"),
    notify: db.prepare("INSERT INTO notifications (did, at, body) VALUES (?, ?, ?)"),
    notifications: db.prepare<[string, number, number], NotificationDbRow>("SELECT id, at, body FROM notifications WHERE did = ? AND id > ? ORDER BY id DESC LIMIT ?"),
  };
  return {
    devices: {
      async upsert(row) {
        q.deviceUpsert.run(row);
      },
      get: async (did, deviceId) => q.deviceGet.get(did, deviceId),
      async touch(did, deviceId, now) {
        q.deviceTouch.run(now, did, deviceId);
      },
      list: async (did) => q.deviceList.all(did),
      count: async (did) => q.deviceCount.get(did)!.count,
      delete: async (did, deviceId) => q.deviceDelete.run(did, deviceId).changes,
      deleteAll: async (did) => q.deviceDeleteAll.run(did).changes,
    },
    recovery: {
      guardianSet: async (patient) => q.set.get(patient),
      guardiansOf: async (patient) => q.guardiansOf.all(patient),
      guardedBy: async (guardian) => q.guardedBy.all(guardian),
      async replaceSet(set, guardians) {
        q.deleteGuardians.run(set.patient);
        q.deleteSet.run(set.patient);
        q.insertSet.run(set);
        for (const guardian of guardians) q.insertGuardian.run(guardian);
      },
      async deleteSet(patient) {
        q.deleteGuardians.run(patient);
        q.deleteSet.run(patient);
      },
      async insertRequest(row, guardians) {
        q.insertRequest.run(row);
        for (const guardian of guardians) q.insertRequestGuardian.run(row.id, guardian);
      },
      request: async (id) => q.request.get(id),
      requestsBy: async (filter, limit) =>
        "patient" in filter ? q.byPatient.all(filter.patient, limit) : "requester" in filter ? q.byRequester.all(filter.requester, limit) : q.byGuardian.all(filter.guardian, limit),
      requestGuardians: async (id) => q.requestGuardians.all(id).map((row) => row.guardian),
      async close(id, state, closedAt) {
        q.close.run(state, closedAt, id);
      },
      approvals: async (id) => q.approvals.all(id),
      async insertApproval(row) {
        q.insertApproval.run(row);
      },
    },
    notifications: {
      async insert(did, at, body) {
        q.notify.run(did, at, body);
      },
      list: async (did, afterId, limit) => q.notifications.all(did, afterId, limit),
    },
  };
}
