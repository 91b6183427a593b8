import { Type, type Static } from "typebox";

/**
 * A CIDv1 in base32, as the sdk's IPFS `add` returns it (a record's ciphertext). The pinning routes take
 * nothing else: no name, no record id, no title, so the API learns which ciphertext, never which record.
 */
export const CID_V1_PATTERN = "^b[a-z2-7]{20,200}$";
export const CidV1 = Type.String({ pattern: CID_V1_PATTERN, description: "CIDv1, base32", examples: ["bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"] });

/**
 * Where a ciphertext stands at the remote pinning service, as the patient sees it:
 * - `off`: this API has no pinning service configured (the platform's own IPFS node pinned it at upload);
 * - `queued`, `pinning`, `pinned`, `failed`: the IPFS Pinning Service API's statuses, `queued` also while the
 *   API retries after an error (`attempts`, `reason` and `nextAttemptAt` say so), `failed` once it gave up;
 * - `unpinning`: removal asked, not yet done at the service.
 */
export const RemotePinStatusSchema = Type.Union([
  Type.Literal("off"),
  Type.Literal("queued"),
  Type.Literal("pinning"),
  Type.Literal("pinned"),
  Type.Literal("failed"),
  Type.Literal("unpinning"),
]);
export type RemotePinStatus = Static<typeof RemotePinStatusSchema>;

/** `POST /pins`, `GET /pins/:cid`, `DELETE /pins/:cid`: one caller's pin request for one CID. */
export const RemotePinSchema = Type.Object({
  cid: CidV1,
  status: RemotePinStatusSchema,
  /** Requests to the service that failed or that it reported failed, since the last (re)queue. */
  attempts: Type.Integer({ minimum: 0 }),
  /** When the API asks the service next (ms since the epoch); null when nothing is left to do. */
  nextAttemptAt: Type.Union([Type.Integer(), Type.Null()]),
  /** Why the last attempt failed (the service's status or reason), or null. */
  reason: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.Integer({ description: "milliseconds since the epoch" }),
});
export type RemotePin = Static<typeof RemotePinSchema>;

/** `GET /pins`: the caller's newest requests (at most `PIN_LIST_LIMIT`); `service` false when none is configured. */
export const PIN_LIST_LIMIT = 2_000;
export const PinListSchema = Type.Object({ service: Type.Boolean(), pins: Type.Array(RemotePinSchema, { maxItems: PIN_LIST_LIMIT }) });
export type PinList = Static<typeof PinListSchema>;

export const PinRequestSchema = Type.Object({ cid: CidV1 }, { additionalProperties: false });
export type PinRequest = Static<typeof PinRequestSchema>;
