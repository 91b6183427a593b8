// The consult call's wire contract: the signaling socket's messages, both ways, and the consent opening the
// consult routes take. Declared once here; the API validates against these schemas and the web app builds
// and reads them.
import { Type, type Static } from "typebox";
import { Did } from "./did.js";
import { Address, Bytes32 } from "./primitives.js";

/** Where the signaling socket listens, below the API's URL (`ws://` or `wss://`). Nothing identifying in it. */
export const CONSULT_SOCKET_PATH = "/consults/signal";

/** Close codes of the signaling socket (4000-4999 are the application's). */
export const CONSULT_CLOSE = {
  /** The first message did not admit the caller (or never came); an `ended` message says why. */
  REFUSED: 4403,
  /** Admitted, then the consent or the license ended (revoked, suspended, expired); an `ended` message says which. */
  ENDED: 4410,
  /** The same party joined the same call from another window. */
  REPLACED: 4409,
  /** A message broke the contract (not JSON, unknown type, too large). */
  BAD_MESSAGE: 4400,
} as const;

/** The largest socket message accepted, in bytes: an SDP with many candidates fits; a chat message is far below. */
export const CONSULT_MESSAGE_MAX_BYTES = 64 * 1024;
/** The largest sealed chat message (the stealth-sealed JSON of a message of a few thousand characters). */
export const CHAT_SEALED_MAX_CHARS = 16 * 1024;
/** A chat message's text, in characters (checked by the sender; the API sees ciphertext only). */
export const CHAT_TEXT_MAX_CHARS = 4_000;
/** How many stored messages a join delivers at most (the newest ones after the client's last seen). */
export const CHAT_HISTORY_LIMIT = 500;
/** A client's ID for one message: a retry with the same ID is the same message, never a second one. */
export const CHAT_CLIENT_ID_PATTERN = "^[A-Za-z0-9_-]{8,64}$";

const Closed = { additionalProperties: false };

/** A consent's opening (sdk `ConsentOpening`), as the parties hold it inside their encrypted grant. */
export const ConsentOpeningSchema = Type.Object(
  {
    v: Type.Literal(2),
    chainId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    registry: Address,
    patient: Did,
    grantee: Did,
    recordIds: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 1000 }),
    salt: Bytes32,
    revoker: Address,
  },
  { ...Closed, description: "the consent's opening: its hash with the revoker is the consent ID on chain" },
);

export const CALL_PARTIES = ["patient", "doctor"] as const;
export const CallPartySchema = Type.Union([Type.Literal("patient"), Type.Literal("doctor")]);
export type CallParty = Static<typeof CallPartySchema>;

/** A chat message sealed to the other party (sdk `sealToRecipient`): the API keeps and relays it unread. */
export const SealedChatSchema = Type.Object(
  {
    ephemeralKey: Type.String({ pattern: "^[A-Za-z0-9_-]{43}$" }),
    viewTag: Type.String({ pattern: "^[0-9a-f]{2}$" }),
    sealed: Type.String({ minLength: 1, maxLength: CHAT_SEALED_MAX_CHARS }),
  },
  Closed,
);

/** One stored chat message as both parties receive it. */
export const ChatEntrySchema = Type.Object(
  {
    /** The API's order of messages in this consult: a rejoin asks for those after the last one seen. */
    seq: Type.Integer({ minimum: 1 }),
    from: CallPartySchema,
    clientId: Type.String({ pattern: CHAT_CLIENT_ID_PATTERN }),
    message: SealedChatSchema,
    /** When the API stored it (milliseconds since the epoch). */
    at: Type.Integer(),
  },
  Closed,
);
export type ChatEntry = Static<typeof ChatEntrySchema>;

/** An RTCIceServer: STUN, or TURN with the short-lived credentials the API issued for this call. */
export const IceServerSchema = Type.Object(
  {
    urls: Type.Array(Type.String()),
    username: Type.Optional(Type.String()),
    credential: Type.Optional(Type.String()),
  },
  Closed,
);
export type IceServer = Static<typeof IceServerSchema>;

/** WebRTC negotiation, relayed to the other party as it is: a session description or an ICE candidate. */
export const SignalSchema = Type.Union([
  Type.Object({ description: Type.Object({ type: Type.Union([Type.Literal("offer"), Type.Literal("answer")]), sdp: Type.String({ maxLength: 60_000 }) }, Closed) }, Closed),
  Type.Object(
    {
      candidate: Type.Object(
        {
          candidate: Type.String({ maxLength: 2_000 }),
          sdpMid: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
          sdpMLineIndex: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), Type.Null()])),
          usernameFragment: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
        },
        Closed,
      ),
    },
    Closed,
  ),
  /** The patient asks the doctor (who makes every offer) for an ICE restart after a network change. */
  Type.Object({ restart: Type.Literal(true) }, Closed),
]);
export type Signal = Static<typeof SignalSchema>;

/**
 * What a client sends. `join` first, once: an API token (`POST /auth/token`) and the consent's opening, so
 * no DID ever travels in the socket's URL (and so in no access log). `callId` names this browser's peer
 * connection: a rejoin with the same one (a new socket after a network change) is answered with an ICE
 * restart, a new one (a reload) with a new connection. `after`: the last chat `seq` the client holds.
 */
export const ClientMessageSchema = Type.Union([
  Type.Object(
    {
      t: Type.Literal("join"),
      token: Type.String({ minLength: 1, maxLength: 4_000 }),
      opening: ConsentOpeningSchema,
      callId: Type.String({ pattern: "^[A-Za-z0-9_-]{8,64}$" }),
      after: Type.Optional(Type.Integer({ minimum: 0 })),
    },
    Closed,
  ),
  Type.Object({ t: Type.Literal("signal"), signal: SignalSchema }, Closed),
  Type.Object({ t: Type.Literal("chat"), clientId: Type.String({ pattern: CHAT_CLIENT_ID_PATTERN }), message: SealedChatSchema }, Closed),
]);
export type ClientMessage = Static<typeof ClientMessageSchema>;

/**
 * What the API sends: `joined` (admitted: who you are, the ICE servers, whether the other party is there,
 * the chat since `after`), `peer` (the other party came, with their call ID, or left), `signal` (relayed),
 * `chat` (a stored message, the sender's own as its acknowledgement), `error` (a message refused, the call
 * goes on) and `ended` (refused or ended, with the API's error code; the socket closes right after).
 */
export type ServerMessage =
  | { t: "joined"; party: CallParty; iceServers: IceServer[]; peer: { callId: string } | null; history: ChatEntry[] }
  | { t: "peer"; present: true; callId: string }
  | { t: "peer"; present: false }
  | { t: "signal"; signal: Signal }
  | { t: "chat"; entry: ChatEntry }
  | { t: "error"; code: string; detail: string; clientId?: string }
  | { t: "ended"; code: string; detail: string };
