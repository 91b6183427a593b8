import type { Hex } from "@openchart/sdk";
import type { AnchorFacts, BatchStatus, MinedFacts, IdempotentBegin, IdempotentId, StoredAnswer } from "./store.js";
import type { AttemptDbRow, AuditDbRow, AuditHeadDbRow, BatchDbRow, IdempotentDbRow, LeafDbRow } from "./rows.js";
import type { DeviceKeySql, NotificationSql, RecoverySql, WrappedKeySql } from "./account-sql.js";
import type { AiUsageSql, CounterSql, LeaseSql, LicensedSessionSql } from "./coordination-sql.js";
import type { DirectorySql, ProfileSql } from "./directory-sql.js";

/**
 * A storage engine: the SQL of one database (sqlite.ts, postgres.ts), and nothing else. What the
 * statements mean together (sealing the audit chain, composing a batch, taking over an idempotency
 * key) is written once, in the stores above (leaves.ts, batches.ts, audit.ts, idempotency.ts).
 */
export interface Engine {
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. Nothing
   * else the process does on this engine runs inside it.
   */
  transaction<T>(work: (sql: Sql) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs `work` outside a transaction: reads, and writes of one statement (atomic on their own). */
  autocommit<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /** True when other processes may use the database at once (PostgreSQL); SQLite serves one process. */
  readonly shared: boolean;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface TransactionOptions {
  /**
   * True (the default) when the work reads shared state and extends it (the audit chain's head, the
   * waiting leaves): such transactions run one at a time, across processes too. False when the work
   * locks the rows it reads itself (`IdempotencySql.lock`), so unrelated keys need not wait.
   */
  serial?: boolean;
}

export interface Sql {
  leaves: LeafSql;
  batches: BatchSql;
  audit: AuditSql;
  idempotency: IdempotencySql;
  nonces: NonceSql;
  wrappedKeys: WrappedKeySql;
  devices: DeviceKeySql;
  recovery: RecoverySql;
  notifications: NotificationSql;
  leases: LeaseSql;
  counters: CounterSql;
  licensedSessions: LicensedSessionSql;
  aiUsage: AiUsageSql;
  pins: PinSql;
  directory: DirectorySql;
  profiles: ProfileSql;
}

export interface LeafSql {
  /** Inserts the leaves not yet stored, in the order given, for `subject`; stored ones are left as they are. */
  insertNew(leaves: readonly Hex[], subject: string, now: number): Promise<void>;
  /** How many leaves `subject` submitted after `since`, and when the oldest of them was. */
  submittedSince(subject: string, since: number): Promise<{ count: number; oldest: number | null }>;
  /** The status of the batch holding each given leaf (null: in none yet), by leaf. */
  batchStatuses(leaves: readonly Hex[]): Promise<Map<string, BatchStatus | null>>;
  get(leaf: Hex): Promise<LeafDbRow | undefined>;
  pendingStats(): Promise<{ count: number; oldest: number | null }>;
  /**
   * Up to `max` leaves in no batch, round-robin across subjects (each subject's oldest first), so that
   * one caller's flood does not keep another's leaf out of the next batch.
   */
  waiting(max: number): Promise<Hex[]>;
  /** Puts stored leaves into a batch, each with its proof. */
  assign(batchId: number, leaves: readonly { leaf: Hex; proof: string }[]): Promise<void>;
  /** Stores a leaf directly into a batch (the audit head). */
  insertBatched(leaf: Hex, now: number, batchId: number, proof: string): Promise<void>;
}

export interface BatchSql {
  /** A new batch in state "built"; returns its id. */
  insert(root: Hex, leafCount: number, now: number): Promise<number>;
  get(id: number): Promise<BatchDbRow | undefined>;
  oldestUnconfirmed(): Promise<BatchDbRow | undefined>;
  /** Gas used by the batches confirmed that were created after `since`, and when the oldest of them was created. */
  gasSince(since: number): Promise<{ gas: number; oldest: number | null }>;
  attempts(batchId: number): Promise<AttemptDbRow[]>;
  insertAttempt(row: AttemptDbRow): Promise<void>;
  /** "built" becomes "sent"; any other state stays. */
  markSent(batchId: number): Promise<void>;
  confirm(batchId: number, anchor: AnchorFacts): Promise<void>;
  /** Sets (or, with null, clears) where an unconfirmed batch's transaction is mined. */
  markMined(batchId: number, mined: MinedFacts | null): Promise<void>;
}

export interface AuditSql {
  /** The entry with the highest seq. */
  last(): Promise<AuditDbRow | undefined>;
  /** Inserts entries in the order given (PostgreSQL: one statement, so a group commit holds the write lock for fewer round trips). */
  insert(rows: readonly AuditDbRow[]): Promise<void>;
  entries(filter: { subject?: string; afterSeq: number; limit: number }): Promise<AuditDbRow[]>;
  insertHead(leaf: Hex, seq: number, batchId: number): Promise<void>;
  heads(): Promise<AuditHeadDbRow[]>;
}

export interface IdempotencySql {
  /** Inserts a reservation unless the key has a record; true when it did. */
  insertReservation(request: IdempotentBegin): Promise<boolean>;
  /** The key's record, locked against other writers until the transaction ends. */
  lock(id: IdempotentId): Promise<IdempotentDbRow | undefined>;
  /** Makes the key's record a fresh reservation for this request, whatever it held. */
  reserve(request: IdempotentBegin): Promise<void>;
  /** A reservation becomes a stored answer (a record in any other state is left alone). */
  complete(id: IdempotentId, answer: StoredAnswer, expiresAt: number): Promise<void>;
  /** Deletes the key's record if it is a reservation. */
  release(id: IdempotentId): Promise<void>;
  /** Moves a reservation's lease to `leaseUntil` (a record in any other state is left alone). */
  renew(id: IdempotentId, leaseUntil: number): Promise<void>;
  releaseAll(): Promise<void>;
  /** Deletes the reservations whose lease ended by `now`. */
  releaseLapsed(now: number): Promise<void>;
  deleteExpired(now: number): Promise<number>;
}

export interface NonceSql {
  /** Inserts the nonce, or renews a row whose claim expired by `now`; true when it did either. */
  claim(nonce: string, expiresAt: number, now: number): Promise<boolean>;
  deleteExpired(now: number): Promise<number>;
}

/** A remote pin request as both engines store it (see `pinTables`). */
export interface PinDbRow {
  subject: string;
  cid: string;
  name: string;
  wanted: "pin" | "unpin";
  status: "queued" | "pinning" | "pinned" | "failed";
  request_id: string | null;
  submitting: number;
  attempts: number;
  next_attempt_at: number | null;
  lease_until: number;
  reason: string | null;
  created_at: number;
  updated_at: number;
}

/** What the pinner writes of a row it holds: everything but who asked, which CID, its name and what they want. */
export type PinProgressDbRow = Pick<PinDbRow, "status" | "request_id" | "submitting" | "attempts" | "next_attempt_at" | "reason" | "updated_at">;

export interface PinSql {
  /** Inserts a new request; false when the caller already has one for this CID. */
  insert(row: PinDbRow): Promise<boolean>;
  get(subject: string, cid: string): Promise<PinDbRow | undefined>;
  /** How many requests `subject` made after `since`, and when the oldest of them was. */
  createdSince(subject: string, since: number): Promise<{ count: number; oldest: number | null }>;
  /** Sets what the caller wants; a failed request wanted pinned again is queued afresh. */
  want(subject: string, cid: string, wanted: "pin" | "unpin", now: number): Promise<void>;
  /**
   * Leases up to `limit` rows with work due (an attempt due by `now`, or an unpin not waiting for a
   * retry) whose lease has run out, until `leaseUntil`; returns them.
   */
  claimDue(now: number, leaseUntil: number, limit: number): Promise<PinDbRow[]>;
  /** Writes the pinner's progress if it still holds lease `lease`; `release` ends the lease. True when it did. */
  settle(subject: string, cid: string, lease: number, progress: PinProgressDbRow, release: boolean): Promise<boolean>;
  /** The subject's newest `limit` requests. */
  bySubject(subject: string, limit: number): Promise<PinDbRow[]>;
  /** Deletes the row if it is still wanted unpinned and leased at `lease`; true when it did. */
  removeUnwanted(subject: string, cid: string, lease: number): Promise<boolean>;
}
