import { Type, type Static } from "typebox";
import { Did } from "./did.js";

// Guardian recovery's wire contract (api/src/recovery/ answers it, the web and Node clients read it).
// Who guards whom is metadata: every route is behind the caller's own signed-in session, and nothing of
// it is published in Ceramic. Shares travel sealed (see the sdk's keys/guardians.ts); the API cannot
// open one.

/** The most guardians one account may name. */
export const MAX_GUARDIANS = 10;
/** The smallest threshold: a single guardian must never be able to recover an account alone. */
export const MIN_GUARDIAN_THRESHOLD = 2;
/** The most characters one sealed share takes as JSON (a stealth-sealed payload of about 1.5 KB). */
export const SEALED_SHARE_MAX_CHARS = 8192;

const RequestId = Type.String({ pattern: "^[0-9a-f]{32}$", description: "a recovery request's ID (32 hex digits)" });
const SetId = Type.String({ pattern: "^[0-9a-f]{32}$", description: "a guardian set's ID (32 hex digits): shares of two sets never combine" });
const SealedShare = Type.String({ minLength: 2, maxLength: SEALED_SHARE_MAX_CHARS, description: "a share sealed to one X25519 key (StealthSealed as JSON)" });
const KeyDid = Type.String({ pattern: "^did:key:z[1-9A-HJ-NP-Za-km-z]{40,200}$", description: "an X25519 did:key" });
const Millis = Type.Integer({ description: "milliseconds since the epoch" });

export const GuardianEntrySchema = Type.Object(
  {
    did: Did,
    /** The guardian's published encryption key the share is sealed to. */
    keyDid: KeyDid,
    share: SealedShare,
  },
  { additionalProperties: false },
);

/** `PUT /recovery/guardians`: the caller's guardian set, as `splitToGuardians` makes it. Replaces any earlier set. */
export const GuardianSetBodySchema = Type.Object(
  {
    setId: SetId,
    threshold: Type.Integer({ minimum: MIN_GUARDIAN_THRESHOLD, maximum: MAX_GUARDIANS }),
    guardians: Type.Array(GuardianEntrySchema, { minItems: MIN_GUARDIAN_THRESHOLD, maxItems: MAX_GUARDIANS }),
  },
  { additionalProperties: false },
);
export type GuardianSetBody = Static<typeof GuardianSetBodySchema>;

/** `GET /recovery/guardians`: the caller's guardian set (shares left out). */
export const GuardianSetViewSchema = Type.Object({
  setId: SetId,
  threshold: Type.Integer(),
  guardians: Type.Array(Type.Object({ did: Did, keyDid: KeyDid })),
  updatedAt: Millis,
});
export type GuardianSetView = Static<typeof GuardianSetViewSchema>;

/** One account the caller guards (`GET /recovery/guarding`), with the share sealed to the caller. */
export const GuardedAccountSchema = Type.Object({
  patient: Did,
  setId: SetId,
  threshold: Type.Integer(),
  count: Type.Integer(),
  share: SealedShare,
  since: Millis,
});
export type GuardedAccount = Static<typeof GuardedAccountSchema>;
export const GuardingSchema = Type.Object({ guarding: Type.Array(GuardedAccountSchema) });
export type Guarding = Static<typeof GuardingSchema>;

/** `POST /recovery/requests`, sent from the NEW wallet's session: whose account, and where shares go. */
export const RecoveryRequestBodySchema = Type.Object(
  {
    /** The account to recover (the lost wallet's did:pkh). */
    patient: Did,
    /** The X25519 did:key guardians re-wrap their shares to (the new wallet's own encryption key). */
    requesterKeyDid: KeyDid,
  },
  { additionalProperties: false },
);
export type RecoveryRequestBody = Static<typeof RecoveryRequestBodySchema>;

/** `POST /recovery/requests/:id/approve`, from a guardian's session: its share, re-wrapped to the requester's key. */
export const ApprovalBodySchema = Type.Object({ share: SealedShare }, { additionalProperties: false });
export type ApprovalBody = Static<typeof ApprovalBodySchema>;

export const RecoveryStateSchema = Type.Union([Type.Literal("waiting"), Type.Literal("cancelled"), Type.Literal("completed")]);
export type RecoveryState = Static<typeof RecoveryStateSchema>;

/** Which side of a request the caller is on; each sees what that side needs. */
export const RecoveryRoleSchema = Type.Union([Type.Literal("patient"), Type.Literal("requester"), Type.Literal("guardian")]);
export type RecoveryRole = Static<typeof RecoveryRoleSchema>;

/**
 * A recovery request as one of its parties sees it. `readyAt` is when guardians may approve (the end of
 * the waiting period, during which the patient's old session can cancel). Guardian DIDs are shown to the
 * patient (all, with their approval state) and to the requester only once they approved: a stranger who
 * asks to recover an account does not learn who guards it.
 */
export const RecoveryRequestViewSchema = Type.Object({
  id: RequestId,
  role: RecoveryRoleSchema,
  patient: Did,
  requester: Did,
  requesterKeyDid: KeyDid,
  setId: SetId,
  threshold: Type.Integer(),
  count: Type.Integer(),
  state: RecoveryStateSchema,
  createdAt: Millis,
  readyAt: Millis,
  closedAt: Type.Union([Millis, Type.Null()]),
  /** Guardians who approved, oldest first (the patient also sees `waitingFor`). */
  approvals: Type.Array(Type.Object({ guardian: Did, approvedAt: Millis })),
  /** Patient only: the guardians who have not approved yet. */
  waitingFor: Type.Optional(Type.Array(Did)),
  /** Guardian only: whether the caller approved, and its own share (sealed to it) to re-wrap. */
  approvedByMe: Type.Optional(Type.Boolean()),
  myShare: Type.Optional(SealedShare),
  /** Requester only: the re-wrapped shares (sealed to `requesterKeyDid`), for `recoverMaster`. */
  shares: Type.Optional(Type.Array(Type.Object({ guardian: Did, share: SealedShare }))),
});
export type RecoveryRequestView = Static<typeof RecoveryRequestViewSchema>;

/** `GET /recovery/requests`: every request the caller is a party to, by side, newest first. */
export const RecoveryListsSchema = Type.Object({
  asPatient: Type.Array(RecoveryRequestViewSchema),
  asRequester: Type.Array(RecoveryRequestViewSchema),
  asGuardian: Type.Array(RecoveryRequestViewSchema),
});
export type RecoveryLists = Static<typeof RecoveryListsSchema>;

/** `POST /recovery/requests/:id/complete`: what the API let go of once the account moved to the requester. */
export const RecoveryCompletedSchema = Type.Object({
  request: RecoveryRequestViewSchema,
  /** The old account's wallet-wrapped master and device entries, now deleted: the lost wallet opens nothing new. */
  revoked: Type.Object({ walletKey: Type.Boolean(), devices: Type.Integer() }),
});
export type RecoveryCompleted = Static<typeof RecoveryCompletedSchema>;
