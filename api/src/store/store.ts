import type { AcceptedLeaf, DeviceSummary, Hex, Notification, NotificationDraft } from "@openchart/sdk";
import type { AuditDraft, AuditEntry } from "../audit/log.js";
import type { DeviceKeySql, RecoverySql, WrappedKeySql } from "./account-sql.js";
import type { DirectoryStore, ProfileStore } from "./directory-store.js";
import type { ShlStore } from "./shl-store.js";
import type { AppointmentStore } from "./appointment-store.js";
import type { ChatStore } from "./chat-store.js";

export type * from "./shl-store.js";
export type * from "./appointment-store.js";
export type * from "./chat-store.js";

/**
 * The API's durable state, one small interface per concern, so each part of the API is handed only
 * the part it uses. Every method is one atomic transaction: a crash between two calls leaves a
 * consistent state, and the batcher is written so that any such state can be resumed. The rules
 * (audit sealing, batch composition, idempotency) are written once in this folder, above the storage
 * engines (engine.ts), which hold SQL only; `openStore` (open-store.ts) picks the engine by URL.
 */
export interface Store {
  leaves: LeafStore;
  batches: BatchStore;
  audit: AuditStore;
  idempotency: IdempotencyStore;
  nonces: NonceStore;
  wrappedKeys: WrappedKeyStore;
  devices: DeviceKeyStore;
  recovery: RecoveryStore;
  notifications: NotificationStore;
  leases: LeaseStore;
  counters: CounterStore;
  licensedSessions: LicensedSessionStore;
  aiUsage: AiUsageStore;
  /** Remote pin requests (pinning/): what each caller asked, and where the service stands. */
  pins: PinStore;
  /** SMART Health Links (shl/): links, their encrypted files, passcode attempts, file URLs. */
  shl: ShlStore;
  /** Doctors' slots and patients' bookings of them (appointments/). */
  appointments: AppointmentStore;
  /** Consult chat (consults/): sealed messages, one per sender and client ID. */
  chat: ChatStore;
  /** Doctors who opted in to the public directory (directory/). */
  directory: DirectoryStore;
  /** Patients' profiles, sealed on their devices (profiles/). */
  profiles: ProfileStore;
  /** True when other processes may use the same database at once (PostgreSQL: API replicas). */
  readonly shared: boolean;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface LeafStore {
  /**
   * Stores new leaves (known ones are kept as they are) for the input's subject, and the audit entry,
   * atomically. With a `quota`, refuses the whole request (nothing stored) when the subject would then
   * hold more than `quota.max` leaves submitted within `quota.windowMs`.
   */
  accept(input: AcceptInput): Promise<AcceptOutcome>;
  get(leaf: Hex): Promise<LeafRecord | null>;
  pendingStats(): Promise<{ count: number; oldestSubmittedAt: number | null }>;
}

export interface BatchStore {
  /**
   * Takes up to `maxLeaves` waiting leaves, oldest first, plus the audit chain's head, builds their
   * tree with `build`, and records the batch with every leaf's proof. Null when nothing waits.
   * With a `fence`, each writing method first checks that the fence's lease is still held (else LeaseLost).
   */
  create(input: { maxLeaves: number; now: number; build: TreeBuilder; fence?: LeaseFence }): Promise<BatchRow | null>;
  /** Gas used by the batches confirmed among those created after `since`, and the oldest one's creation time. */
  gasSince(since: number): Promise<{ gas: number; oldest: number | null }>;
  /** The oldest batch not yet confirmed on chain: the batcher finishes it before building another. */
  open(): Promise<BatchRow | null>;
  attempts(batchId: number): Promise<TxAttempt[]>;
  /** Records a signed transaction BEFORE it is broadcast, so a restart knows its nonce and hash. */
  addAttempt(attempt: TxAttempt, fence?: LeaseFence): Promise<void>;
  confirm(batchId: number, anchor: AnchorFacts, audit: AuditDraft, now: number, fence?: LeaseFence): Promise<void>;
  /** Records where the batch's transaction is mined (null: it is not, or no longer, after a reorganization). */
  markMined(batchId: number, mined: MinedFacts | null, fence?: LeaseFence): Promise<void>;
}

export interface AuditStore {
  append(draft: AuditDraft, now: number): Promise<AuditEntry>;
  /** Several entries in one transaction (one disk sync): the audit writer's group commit. */
  appendMany(drafts: readonly AuditDraft[], now: number): Promise<AuditEntry[]>;
  entries(filter: { subject?: string; afterSeq?: number; limit: number }): Promise<AuditEntry[]>;
  /** Audit heads included in batches: which entry's hash went into which batch. */
  heads(): Promise<AuditHead[]>;
}

export interface IdempotencyStore {
  /** Reserves an Idempotency-Key for a request, or says what became of an earlier one (see plugins/idempotency.ts). */
  begin(input: IdempotentBegin): Promise<IdempotentOutcome>;
  /** Stores the answer of a reserved request, to be replayed until `expiresAt`. */
  complete(id: IdempotentId, answer: StoredAnswer, expiresAt: number): Promise<void>;
  /** Gives up a reservation whose request failed, so a retry runs it again. */
  release(id: IdempotentId): Promise<void>;
  /** Keeps a running request's reservation from being taken over (its process is alive and still working on it). */
  renew(id: IdempotentId, leaseUntil: number): Promise<void>;
  /**
   * Drops reservations left by processes that stopped mid-request: on a database of one process (SQLite),
   * every reservation found at start; on a shared one, those whose lease ran out.
   */
  releaseAbandoned(now: number): Promise<void>;
  /** Deletes expired records; returns how many went. */
  sweepExpired(now: number): Promise<number>;
}

/**
 * Sign-in request nonces, kept in the database so a restart does not forget which signed requests
 * were already used. `claim` is the sdk's NonceStore.
 */
export interface NonceStore {
  /** True the first time, false while an earlier claim is unexpired. */
  claim(nonce: string, expiresAt: number, now: number): Promise<boolean>;
  /** Deletes expired nonces; returns how many went. */
  sweepExpired(now: number): Promise<number>;
}

/**
 * Each user's master key wrapped to their wallet key (see the sdk's keys/): an opaque blob, one per
 * DID, handed only to a session of that same DID. The API cannot open it.
 */
export interface WrappedKeyStore {
  /** Stores (or replaces) the DID's blob and the audit entry, atomically. */
  put(did: string, blob: string, audit: AuditDraft, now: number): Promise<void>;
  get(did: string): Promise<{ blob: string; updatedAt: number } | null>;
}

/**
 * Each user's device entries: the master wrapped to one device's key (the sdk's keys/device-keyring.ts),
 * handed only to a session of the same DID. Deleting an entry is what signs a device out for good: its
 * key alone opens nothing.
 */
export interface DeviceKeyStore {
  /** Stores (or replaces) the entry and the audit entry, atomically; "full" (nothing stored) when the DID keeps `max` other devices. */
  put(entry: { did: string; deviceId: string; blob: string; label: string }, audit: AuditDraft, now: number, max: number): Promise<"stored" | "full">;
  /** The entry, its use recorded (last used, and `audit`, atomically), or null (nothing recorded). */
  use(did: string, deviceId: string, audit: AuditDraft, now: number): Promise<{ blob: string; updatedAt: number } | null>;
  list(did: string): Promise<DeviceSummary[]>;
  /** Deletes one entry, with `audit`; false (nothing recorded) when there was none. */
  remove(did: string, deviceId: string, audit: AuditDraft, now: number): Promise<boolean>;
  /** Deletes every entry of the DID, audits and notifies how many went. */
  removeAll(did: string, audit: (count: number) => AuditDraft, now: number): Promise<number>;
}

/**
 * Guardian sets and recovery requests. The rules (who may do what when) are in api/src/recovery/; they run
 * inside `run`, one serial transaction, so a check and the write it allows cannot be split by another
 * request (two approvals, an approval and a cancel).
 */
export interface RecoveryStore {
  /** Runs `work` atomically: its writes, audit entries and notifications all land, or (when it throws) none do. */
  run<T>(work: (tx: RecoveryTx) => Promise<T>, now: number): Promise<T>;
  /** Reads outside a transaction (views). */
  read<T>(work: (tx: Pick<RecoveryTx, "sql">) => Promise<T>): Promise<T>;
}

export interface RecoveryTx {
  sql: { recovery: RecoverySql; devices: DeviceKeySql; wrappedKeys: WrappedKeySql };
  /** Appended to the audit chain when the work succeeds. */
  audit(draft: AuditDraft): void;
  /** Added to `did`'s notifications when the work succeeds. */
  notify(did: string, draft: NotificationDraft): void;
}

export interface NotificationStore {
  /** Newest first, only those with an id above `afterId`. */
  list(did: string, afterId: number, limit: number): Promise<Notification[]>;
}

/**
 * Named leases that expire unless renewed, timed by the database's own clock (replicas' clocks may
 * differ): one replica at a time holds the batcher's lease, and another takes it once it lapses.
 */
export interface LeaseStore {
  /** Takes the lease for `holder` for `ttlMs` if it is free, lapsed or already `holder`'s (a renewal); true when held now. */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up at once (a clean stop), if `holder` holds it. */
  release(name: string, holder: string): Promise<void>;
  /** Who holds the lease now; null when no one does (never taken, released or lapsed). */
  holder(name: string): Promise<string | null>;
  /**
   * At start: on a database of one process (SQLite), frees the lease whoever holds it (a process that is
   * gone); on a shared one, leaves it to lapse (its holder may be another replica, alive).
   */
  releaseAbandoned(name: string): Promise<void>;
}

/** A lease a write is made under: the write is refused (LeaseLost) once the holder no longer holds it. */
export interface LeaseFence {
  name: string;
  holder: string;
}

/** Fixed-window request counters (rate limits), the same for every replica and kept across restarts. */
export interface CounterStore {
  /** Counts one hit of `key`; a window of `windowMs` starts with the first hit after the previous window ended. */
  hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetsAt: number }>;
  /** Deletes counters whose window ended; returns how many went. */
  sweepExpired(now: number): Promise<number>;
}

/** Sessions in which a doctor presented a verified license, and each doctor's last presentation. */
export interface LicensedSessionStore {
  /** Stores the session's grant, the doctor's latest presentation and the audit entry, atomically. */
  record(grant: LicensedGrant, audit: AuditDraft, now: number): Promise<void>;
  /** The session's grant while it lasts (`until` after `now`), else null. */
  session(did: string, sessionKey: string, now: number): Promise<{ verified: unknown; until: number } | null>;
  /** The DID's last verified presentation; null when it never presented one. */
  latest(did: string): Promise<unknown>;
  /** Deletes grants that ended; returns how many went. */
  sweepEnded(now: number): Promise<number>;
}

export interface LicensedGrant {
  did: string;
  sessionKey: string;
  /** When the grant ends: min(session expiry, earliest license expiry). */
  until: number;
  /** The verified presentation (JSON-serializable), as the licenses feature reads it back. */
  verified: unknown;
  presentedAt: number;
}

/** Each caller's AI use over the last day: request times and the tokens the upstream reported, oldest first. */
export interface AiUsage {
  requests: number[];
  tokens: { at: number; count: number }[];
}

export interface AiUsageStore {
  /**
   * Reads the DID's use of the last `windowMs`, asks `decide`, and records a request when it admits:
   * one DID's admissions run one at a time across replicas, so two at once cannot both take the last one.
   */
  admit<T extends { ok: boolean }>(did: string, now: number, windowMs: number, decide: (usage: AiUsage) => T): Promise<T>;
  recordTokens(did: string, count: number, now: number): Promise<void>;
  /** Deletes use recorded before `before`; returns how many records went. */
  sweepBefore(before: number): Promise<number>;
}

export interface AcceptInput {
  leaves: Hex[];
  /** Who submits them: the verified caller's DID (their quota, their turn in fair batching). */
  subject: string;
  audit: AuditDraft;
  now: number;
  quota?: { max: number; windowMs: number };
}

/** One Idempotency-Key's record: who sent it (caller DID or client address), to which route, and the key's digest. */
export interface IdempotentId {
  scope: string;
  route: string;
  keyHash: string;
}

export interface IdempotentBegin extends IdempotentId {
  /** Digest of what the request asks (body and query): the same key must come with the same request. */
  fingerprint: string;
  now: number;
  /** A reservation not completed by then is considered abandoned and may be taken over. */
  leaseUntil: number;
  expiresAt: number;
}

export interface StoredAnswer {
  status: number;
  contentType: string;
  body: string;
}

export type IdempotentOutcome =
  | { kind: "reserved" }
  | { kind: "replay"; answer: StoredAnswer }
  | { kind: "conflict" }
  | { kind: "in-progress" };

export type { AcceptedLeaf };

export type AcceptOutcome =
  | { accepted: true; leaves: AcceptedLeaf[] }
  /** The subject's quota is used up: the request is refused whole; a leaf leaves the window after `retryAfterMs`. */
  | { accepted: false; retryAfterMs: number };

export interface TreeBuilder {
  (leaves: Hex[]): { root: Hex; proofOf(leaf: Hex): Hex[] };
}

export type BatchStatus = "built" | "sent" | "confirmed";

export interface BatchRow {
  id: number;
  root: Hex;
  leafCount: number;
  createdAt: number;
  status: BatchStatus;
  anchor: AnchorFacts | null;
  /** A sent batch whose transaction the batcher last saw mined, not yet deep enough to confirm. */
  mined: MinedFacts | null;
}

/** Where a sent batch's transaction was last seen mined, and how deep. */
export interface MinedFacts {
  txHash: Hex;
  blockNumber: number;
  /** Blocks the transaction was under, its own included. */
  confirmations: number;
}

/** What the chain says about an anchored batch. */
export interface AnchorFacts {
  txHash: Hex;
  blockNumber: number;
  /** Block time, seconds since the epoch, as `anchorOf` returns it. */
  anchoredAt: number;
  gasUsed: number;
}

export interface LeafRecord {
  leaf: Hex;
  submittedAt: number;
  proof: Hex[] | null;
  batch: BatchRow | null;
}

export interface AuditHead {
  seq: number;
  leaf: Hex;
  batchId: number;
}

export interface TxAttempt {
  batchId: number;
  nonce: number;
  txHash: Hex;
  /** The signed transaction: re-broadcast as is after a restart, so it keeps its hash. */
  rawTx: Hex;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  sentAt: number;
}

/** One caller's remote pin request for one CID, as the pinner and the routes see it. */
export interface PinRow {
  subject: string;
  cid: string;
  /** Random, sent as the pin's name: finds this request at the service after a crash, and says nothing. */
  name: string;
  wanted: "pin" | "unpin";
  status: "queued" | "pinning" | "pinned" | "failed";
  /** The service's `requestid`, once it gave one. */
  requestId: string | null;
  /** A POST to the service may have landed without its answer being stored. */
  submitting: boolean;
  attempts: number;
  nextAttemptAt: number | null;
  /** The lease the pinner claimed the row with (0: none). */
  leaseUntil: number;
  reason: string | null;
  createdAt: number;
  updatedAt: number;
}

/** What the pinner sets on a row it holds. */
export type PinProgress = Pick<PinRow, "status" | "requestId" | "submitting" | "attempts" | "nextAttemptAt" | "reason">;

export type PinRequestOutcome = { accepted: true; pin: PinRow } | { accepted: false; retryAfterMs: number };

export interface PinStore {
  /**
   * Asks for `cid` to be pinned for `subject`, with the audit entry, atomically. A request the subject
   * already has is kept (a failed one queued again, one being unpinned wanted again) and costs no quota;
   * a new one is refused, nothing stored, beyond `quota.max` new requests in `quota.windowMs`.
   */
  request(input: { subject: string; cid: string; audit: AuditDraft; now: number; quota: { max: number; windowMs: number } }): Promise<PinRequestOutcome>;
  get(subject: string, cid: string): Promise<PinRow | null>;
  /** The subject's newest `limit` requests. */
  list(subject: string, limit: number): Promise<PinRow[]>;
  /** Marks the subject's request for removal at the service, with the audit entry; null when there is none. */
  unpin(subject: string, cid: string, audit: AuditDraft, now: number): Promise<PinRow | null>;
  /** Leases up to `limit` rows with work due, for `leaseMs`. */
  claimDue(now: number, leaseMs: number, limit: number): Promise<PinRow[]>;
  /** Writes progress on a row claimed as `row` (its lease); `release` ends the lease. False: the lease was lost. */
  settle(row: PinRow, progress: PinProgress, now: number, release: boolean): Promise<boolean>;
  /** Forgets a request the service no longer holds, if the caller still wants it gone. */
  removeUnwanted(row: PinRow): Promise<boolean>;
}
