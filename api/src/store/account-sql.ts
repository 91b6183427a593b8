import type { ApprovalDbRow, DeviceKeyDbRow, GuardedDbRow, GuardianDbRow, GuardianSetDbRow, NotificationDbRow, RecoveryDbRow } from "./account-rows.js";

// The SQL of the per-account tables, part of an engine's `Sql` (engine.ts). Apart, so that the stores'
// interfaces (store.ts) can name them without importing the engine.

export interface WrappedKeySql {
  upsert(did: string, blob: string, now: number): Promise<void>;
  get(did: string): Promise<{ blob: string; updated_at: number } | undefined>;
  /** True when a blob was deleted. */
  delete(did: string): Promise<boolean>;
}

export interface DeviceKeySql {
  /** Inserts the entry, or replaces its blob and label (keeping its creation time). */
  upsert(row: DeviceKeyDbRow): Promise<void>;
  get(did: string, deviceId: string): Promise<DeviceKeyDbRow | undefined>;
  touch(did: string, deviceId: string, now: number): Promise<void>;
  /** Oldest first. */
  list(did: string): Promise<DeviceKeyDbRow[]>;
  count(did: string): Promise<number>;
  /** How many entries went. */
  delete(did: string, deviceId: string): Promise<number>;
  deleteAll(did: string): Promise<number>;
}

export interface RecoverySql {
  guardianSet(patient: string): Promise<GuardianSetDbRow | undefined>;
  /** In the order the patient named them. */
  guardiansOf(patient: string): Promise<GuardianDbRow[]>;
  /** Every set that names `guardian`, with the set's threshold and size. */
  guardedBy(guardian: string): Promise<GuardedDbRow[]>;
  /** Deletes the patient's set (and its guardians) and inserts the new one. */
  replaceSet(set: GuardianSetDbRow, guardians: readonly GuardianDbRow[]): Promise<void>;
  deleteSet(patient: string): Promise<void>;
  insertRequest(row: RecoveryDbRow, guardians: readonly string[]): Promise<void>;
  request(id: string): Promise<RecoveryDbRow | undefined>;
  /** Newest first. */
  requestsBy(filter: { patient: string } | { requester: string } | { guardian: string }, limit: number): Promise<RecoveryDbRow[]>;
  /** The guardians a request was made to (the set when it was filed). */
  requestGuardians(id: string): Promise<string[]>;
  close(id: string, state: "cancelled" | "completed", closedAt: number): Promise<void>;
  /** Oldest first. */
  approvals(id: string): Promise<ApprovalDbRow[]>;
  insertApproval(row: ApprovalDbRow): Promise<void>;
}

export interface NotificationSql {
  insert(did: string, at: number, body: string): Promise<void>;
  /** Newest first, with an id above `afterId`. */
  list(did: string, afterId: number, limit: number): Promise<NotificationDbRow[]>;
}
