import type pg from "pg";
import type { ApprovalDbRow, DeviceKeyDbRow, GuardedDbRow, GuardianDbRow, GuardianSetDbRow, NotificationDbRow, RecoveryDbRow } from "./account-rows.js";
import type { Sql } from "./engine.js";

/** The SQL of the account tables on PostgreSQL (see schema.ts `accountTables`). */
export function postgresAccountSql(db: pg.Pool | pg.PoolClient): Pick<Sql, "devices" | "recovery" | "notifications"> {
  const rows = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => (await db.query<R>(text, values)).rows;
  const changes = async (text: string, values?: unknown[]) => (await db.query(text, values)).rowCount ?? 0;
  const deleteSet = async (patient: string) => {
    await db.query("DELETE FROM guardians WHERE patient = $1", [patient]);
    await db.query("DELETE FROM guardian_sets WHERE patient = $1", [patient]);
  };
  return {
    devices: {
      async upsert(r) {
        await db.query(
          `INSERT INTO device_keys (did, device_id, blob, label, created_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (did, device_id) DO UPDATE SET blob = EXCLUDED.blob, label = EXCLUDED.label, last_used_at = EXCLUDED.last_used_at`,
          [r.did, r.device_id, r.blob, r.label, r.created_at, r.last_used_at],
        );
      },
      get: async (did, deviceId) => (await rows<DeviceKeyDbRow>("SELECT * FROM device_keys WHERE did = $1 AND device_id = $2", [did, deviceId]))[0],
      async touch(did, deviceId, now) {
        await db.query("UPDATE device_keys SET last_used_at = $1 WHERE did = $2 AND device_id = $3", [now, did, deviceId]);
      },
      list: (did) => rows<DeviceKeyDbRow>("SELECT * FROM device_keys WHERE did = $1 ORDER BY created_at, device_id", [did]),
      count: async (did) => (await rows<{ count: number }>("SELECT count(*)::int AS count FROM device_keys WHERE did = $1", [did]))[0]!.count,
      delete: (did, deviceId) => changes("DELETE FROM device_keys WHERE did = $1 AND device_id = $2", [did, deviceId]),
      deleteAll: (did) => changes("DELETE FROM device_keys WHERE did = $1", [did]),
    },
    recovery: {
      guardianSet: async (patient) => (await rows<GuardianSetDbRow>("SELECT * FROM guardian_sets WHERE patient = $1", [patient]))[0],
      guardiansOf: (patient) => rows<GuardianDbRow>("SELECT * FROM guardians WHERE patient = $1 ORDER BY position", [patient]),
      guardedBy: (guardian) =>
        rows<GuardedDbRow>(
          `SELECT g.*, s.set_id, s.threshold, s.updated_at, (SELECT count(*)::int FROM guardians c WHERE c.patient = g.patient) AS count
           FROM guardians g JOIN guardian_sets s ON s.patient = g.patient WHERE g.guardian = $1 ORDER BY s.updated_at DESC`,
          [guardian],
        ),
      async replaceSet(set, guardians) {
        await deleteSet(set.patient);
        await db.query("INSERT INTO guardian_sets (patient, set_id, threshold, updated_at) VALUES ($1, $2, $3, $4)", [set.patient, set.set_id, set.threshold, set.updated_at]);
        for (const g of guardians) {
          await db.query("INSERT INTO guardians (patient, guardian, position, key_did, share) VALUES ($1, $2, $3, $4, $5)", [g.patient, g.guardian, g.position, g.key_did, g.share]);
        }
      },
      deleteSet,
      async insertRequest(r, guardians) {
        await db.query(
          `INSERT INTO recovery_requests (id, patient, requester, requester_key, set_id, threshold, created_at, ready_at, state, closed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [r.id, r.patient, r.requester, r.requester_key, r.set_id, r.threshold, r.created_at, r.ready_at, r.state, r.closed_at],
        );
        await db.query("INSERT INTO recovery_guardians (request_id, guardian) SELECT $1, g FROM unnest($2::text[]) AS t(g)", [r.id, guardians]);
      },
      request: async (id) => (await rows<RecoveryDbRow>("SELECT * FROM recovery_requests WHERE id = $1", [id]))[0],
      requestsBy: (filter, limit) =>
        "patient" in filter
          ? rows<RecoveryDbRow>("SELECT * FROM recovery_requests WHERE patient = $1 ORDER BY created_at DESC, id LIMIT $2", [filter.patient, limit])
          : "requester" in filter
            ? rows<RecoveryDbRow>("SELECT * FROM recovery_requests WHERE requester = $1 ORDER BY created_at DESC, id LIMIT $2", [filter.requester, limit])
            : rows<RecoveryDbRow>(
                "SELECT r.* FROM recovery_requests r JOIN recovery_guardians g ON g.request_id = r.id WHERE g.guardian = $1 ORDER BY r.created_at DESC, r.id LIMIT $2",
                [filter.guardian, limit],
              ),
      requestGuardians: async (id) => (await rows<{ guardian: string }>("SELECT guardian FROM recovery_guardians WHERE request_id = $1 ORDER BY guardian", [id])).map((r) => r.guardian),
      async close(id, state, closedAt) {
        await db.query("UPDATE recovery_requests SET state = $1, closed_at = $2 WHERE id = $3 AND state = 'waiting'", [state, closedAt, id]);
      },
      approvals: (id) => rows<ApprovalDbRow>("SELECT * FROM recovery_approvals WHERE request_id = $1 ORDER BY approved_at, guardian", [id]),
      async insertApproval(a) {
        await db.query("INSERT INTO recovery_approvals (request_id, guardian, share, approved_at) VALUES ($1, $2, $3, $4)", [a.request_id, a.guardian, a.share, a.approved_at]);
      },
    },
    notifications: {
      async insert(did, at, body) {
        await db.query("INSERT INTO notifications (did, at, body) VALUES ($1, $2, $3)", [did, at, body]);
      },
      list: (did, afterId, limit) => rows<NotificationDbRow>("SELECT id, at, body FROM notifications WHERE did = $1 AND id > $2 ORDER BY id DESC LIMIT $3", [did, afterId, limit]),
    },
  };
}
