import type { AcceptedLeaf, Hex } from "@openchart/sdk";
import type { AuditDraft, AuditEntry } from "../audit/log.js";

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
  /** Remote pin requests (pinning/): what each caller asked, and where the service stands. */
  pins: PinStore;
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
   */
  create(input: { maxLeaves: number; now: number; build: TreeBuilder }): Promise<BatchRow | null>;
  /** Gas used by the batches confirmed among those created after `since`, and the oldest one's creation time. */
  gasSince(since: number): Promise<{ gas: number; oldest: number | null }>;
  /** The oldest batch not yet confirmed on chain: the batcher finishes it before building another. */
  open(): Promise<BatchRow | null>;
  attempts(batchId: number): Promise<TxAttempt[]>;
  /** Records a signed transaction BEFORE it is broadcast, so a restart knows its nonce and hash. */
  addAttempt(attempt: TxAttempt): Promise<void>;
  confirm(batchId: number, anchor: AnchorFacts, audit: AuditDraft, now: number): Promise<void>;
  /** Records where the batch's transaction is mined (null: it is not, or no longer, after a reorganization). */
  markMined(batchId: number, mined: MinedFacts | null): Promise<void>;
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
  /** Drops reservations left by a process that stopped mid-request (one API process per database). */
  releaseAll(): Promise<void>;
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
