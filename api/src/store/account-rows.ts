import type { RecoveryState } from "@openchart/sdk";

// The rows of the account tables (schema.ts `accountTables`), as both engines return them.

export interface DeviceKeyDbRow {
  did: string;
  device_id: string;
  blob: string;
  label: string;
  created_at: number;
  last_used_at: number;
}

export interface GuardianSetDbRow {
  patient: string;
  set_id: string;
  threshold: number;
  updated_at: number;
}

export interface GuardianDbRow {
  patient: string;
  guardian: string;
  position: number;
  key_did: string;
  share: string;
}

/** A guardian's row with its set: what `GET /recovery/guarding` lists. */
export interface GuardedDbRow extends GuardianDbRow {
  set_id: string;
  threshold: number;
  count: number;
  updated_at: number;
}

export interface RecoveryDbRow {
  id: string;
  patient: string;
  requester: string;
  requester_key: string;
  set_id: string;
  threshold: number;
  created_at: number;
  ready_at: number;
  state: RecoveryState;
  closed_at: number | null;
}

export interface ApprovalDbRow {
  request_id: string;
  guardian: string;
  share: string;
  approved_at: number;
}

export interface NotificationDbRow {
  id: number;
  at: number;
  body: string;
}
