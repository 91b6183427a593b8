import type { CallParty, ChatEntry, ServerMessage, Signal } from "@openchart/sdk";
import { CHAT_HISTORY_LIMIT, CONSULT_CLOSE } from "@openchart/sdk";
import type { AuditWriter } from "../audit/writer.js";
import type { ChatStore } from "../store/store.js";
import type { Admitted, ConsultAdmission, Refusal } from "./admission.js";
import type { IceConfig } from "./config.js";
import { iceServersFor } from "./ice-servers.js";

/** One side of a socket, as the hub needs it (the route adapts a `ws` socket; tests may give their own). */
export interface CallSocket {
  send(message: ServerMessage): void;
  close(code: number): void;
}

/** A party in a room: their socket, their admission, and the ID of their browser's peer connection. */
export interface Member {
  socket: CallSocket;
  admitted: Admitted;
  callId: string;
  /** Chat messages in the current window (see `CHAT_BURST`). */
  chatWindow: { start: number; count: number };
  /** What reached this member before their `joined` was sent: held, then sent right after it, in order. */
  held: ServerMessage[] | null;
  /** The other party this member was last told about (in `joined` or a `peer` message): told once, not twice. */
  toldAbout: Member | null;
}

/** Sends to a member, or holds the message until their `joined` has gone (a client reads nothing before it). */
function deliver(member: Member, message: ServerMessage): void {
  if (member.held) member.held.push(message);
  else member.socket.send(message);
}

export interface HubOptions {
  admission: ConsultAdmission;
  chat: ChatStore;
  audit: AuditWriter;
  ice: IceConfig;
  /** How often every running call is checked again (API_CALL_RECHECK_MS). */
  recheckMs: number;
  onError?: (error: unknown) => void;
}

/** At most this many chat messages per party per 10 s: a chat, not a pipe. */
const CHAT_BURST = { count: 30, windowMs: 10_000 };

const other = (party: CallParty): CallParty => (party === "patient" ? "doctor" : "patient");

/**
 * The consult calls running in this API process: rooms of at most two parties (patient and doctor of one
 * consent), relaying WebRTC negotiation between them and their sealed chat, which it stores first. Every
 * `recheckMs` each party is admitted again (consent still active, doctor's license still good): a revoke or
 * a suspension ends the call for the party it concerns, with a message saying why, then the socket closes.
 *
 * Rooms live in memory: with several API replicas both parties of a call must reach the same one (a load
 * balancer's affinity by path is not enough; see api/README "Consult calls"). Chat is in the shared store.
 */
export class SignalingHub {
  private readonly rooms = new Map<string, Partial<Record<CallParty, Member>>>();
  private readonly timer: NodeJS.Timeout;
  private checking = false;
  private closed = false;

  constructor(private readonly options: HubOptions) {
    this.timer = setInterval(() => void this.recheck(), options.recheckMs);
    this.timer.unref();
  }

  /** How many rooms have at least one party now. */
  get roomCount(): number {
    return this.rooms.size;
  }

  /** Puts an admitted party in their room (replacing their own earlier socket), with the chat after `after`. */
  async join(socket: CallSocket, admitted: Admitted, callId: string, after: number): Promise<Member> {
    const member: Member = { socket, admitted, callId, chatWindow: { start: 0, count: 0 }, held: [], toldAbout: null };
    let room = this.rooms.get(admitted.room);
    if (!room) this.rooms.set(admitted.room, (room = {}));
    const earlier = room[admitted.party];
    if (earlier) this.end(earlier, { code: "CALL_REPLACED", detail: "you joined this call from another window" }, CONSULT_CLOSE.REPLACED);
    // In the room before the history is read, so a message the other party sends meanwhile is held for this
    // member (the client files messages by seq, so one both held and in the history shows once).
    room[admitted.party] = member;
    const history = await this.options.chat.after(admitted.room, after, CHAT_HISTORY_LIMIT);
    // Audited before the party hears it is in. And nothing is awaited from `joined` on: the caller holds this
    // member before the client, answering `joined`, can send anything (which would otherwise find no member).
    await this.options.audit.append({ subject: admitted.caller.did, action: "consult.call", decision: "allowed", refs: { ...admitted.link, party: admitted.party } as Record<string, string> });
    if (!this.isCurrent(member)) return member; // replaced or ended meanwhile
    const peer = this.peerOf(member);
    const tag = this.options.admission.rooms.identityOf(admitted.party, admitted.caller.did);
    member.toldAbout = peer ?? null;
    socket.send({ t: "joined", party: admitted.party, iceServers: iceServersFor(this.options.ice, tag, Date.now()), peer: peer ? { callId: peer.callId } : null, history });
    // Held news of the other party is stale: `joined` just said who is there now.
    for (const message of member.held!) if (message.t !== "peer") socket.send(message);
    member.held = null;
    // The other party hears of this one once: not when its own `joined` already named this member (both joined
    // at once), which would start a second offer while the first is under way.
    if (peer && peer.toldAbout !== member) {
      peer.toldAbout = member;
      deliver(peer, { t: "peer", present: true, callId });
    }
    return member;
  }

  /** Relays a party's negotiation to the other party, if there (else it is dropped: the next join renegotiates). */
  relay(member: Member, signal: Signal): void {
    const peer = this.peerOf(member);
    if (peer) deliver(peer, { t: "signal", signal });
  }

  /** Stores a chat message once per client ID, acknowledges it to the sender, and gives a new one to the other party. */
  async chat(member: Member, clientId: string, message: ChatEntry["message"]): Promise<void> {
    const now = Date.now();
    const window = member.chatWindow;
    if (now - window.start > CHAT_BURST.windowMs) Object.assign(window, { start: now, count: 0 });
    if (++window.count > CHAT_BURST.count) {
      member.socket.send({ t: "error", code: "RATE_LIMITED", detail: `at most ${CHAT_BURST.count} messages in ${CHAT_BURST.windowMs / 1000} s`, clientId });
      return;
    }
    const { room, party } = member.admitted;
    const { entry, created } = await this.options.chat.post(room, party, clientId, message, now);
    if (!this.isCurrent(member)) return;
    member.socket.send({ t: "chat", entry });
    const peer = this.peerOf(member);
    if (created && peer) deliver(peer, { t: "chat", entry });
  }

  /** Takes a party out of their room (their socket closed); the other party hears it. */
  leave(member: Member): void {
    if (!this.isCurrent(member)) return;
    const room = this.rooms.get(member.admitted.room)!;
    if (member.admitted.party === "patient") room.patient = undefined;
    else room.doctor = undefined;
    const peer = room[other(member.admitted.party)];
    if (peer) {
      peer.toldAbout = null;
      deliver(peer, { t: "peer", present: false });
    }
    else this.rooms.delete(member.admitted.room);
  }

  /** Stops the sweeps; one still running finishes quietly (the chain client it reads is closing too). */
  close(): void {
    this.closed = true;
    clearInterval(this.timer);
  }

  /** A sweep's failure, unless the hub was closed meanwhile: then it is the shutdown, not a fault. */
  private report(error: unknown): void {
    if (!this.closed) this.options.onError?.(error);
  }

  /**
   * Checks every party of every room again; one sweep at a time. Revocations come from one log query per
   * sweep (ConsentRevoked events, the last blocks scanned again so a revoke that a reorganization moved is
   * still seen), expiries from the clock, license standing from its cache: no chain read per call, which at
   * 1,000 calls would be 1,000 reads every sweep.
   */
  async recheck(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const { admission } = this.options;
      const revoked = await admission.revocations();
      const members = [...this.rooms.values()].flatMap((room) => [room.patient, room.doctor].filter((m): m is Member => m !== undefined));
      for (const member of members) {
        const refusal = await admission.quickCheck(member.admitted, revoked).catch((error: unknown) => {
          this.report(error);
          return null; // the status list did not answer: the call goes on, next sweep asks again
        });
        if (refusal && this.isCurrent(member)) {
          this.end(member, refusal, CONSULT_CLOSE.ENDED);
          const { caller, link, party } = member.admitted;
          void this.options.audit
            .append({ subject: caller.did, action: "consult.call", decision: "ended", refs: { ...link, party, reason: refusal.code } as Record<string, string> })
            .catch((error: unknown) => this.report(error));
        }
      }
    } catch (error) {
      this.report(error); // the revocation scan failed: the next sweep scans from the same block
    } finally {
      this.checking = false;
    }
  }

  private end(member: Member, refusal: Refusal, closeCode: number): void {
    this.leave(member);
    member.socket.send({ t: "ended", code: refusal.code, detail: refusal.detail });
    member.socket.close(closeCode);
  }

  private isCurrent(member: Member): boolean {
    return this.rooms.get(member.admitted.room)?.[member.admitted.party] === member;
  }

  private peerOf(member: Member): Member | undefined {
    if (!this.isCurrent(member)) return undefined;
    return this.rooms.get(member.admitted.room)?.[other(member.admitted.party)];
  }
}
