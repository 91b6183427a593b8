// A peer-to-peer video consult between the patient's and the doctor's browsers. The API's socket
// (GET /consults/signal) admits each party, relays the WebRTC negotiation and the sealed chat; media flow
// browser to browser (through TURN when configured and needed). The doctor makes every offer, so the two
// never offer at once; the patient asks for an ICE restart when its side of the connection fails.
import { CONSULT_CLOSE, CONSULT_SOCKET_PATH, newChatClientId, type CallParty, type ChatEntry, type ChatMessage, type ClientMessage, type ConsentOpening, type IceServer, type ServerMessage, type Signal } from "@openchart/sdk";

export type CallState =
  | { kind: "idle" }
  | { kind: "connecting" }
  | { kind: "waiting" }
  | { kind: "negotiating" }
  | { kind: "connected" }
  | { kind: "reconnecting" }
  | { kind: "ended"; code: string; detail: string }
  | { kind: "left" };

/** The call's state in words, for the person in it ("the other party" named by role). */
export function describeCallState(state: CallState, other: string, reasonOf: (code: string, detail: string) => string): string {
  switch (state.kind) {
    case "idle":
      return "Not in the call.";
    case "connecting":
      return "Connecting to the call service…";
    case "waiting":
      return `Waiting room: waiting for the ${other} to join.`;
    case "negotiating":
      return `The ${other} is here. Connecting the video…`;
    case "connected":
      return `In the call with the ${other}.`;
    case "reconnecting":
      return "The connection was lost (a network change?). Reconnecting…";
    case "ended":
      return `The call ended: ${reasonOf(state.code, state.detail)}`;
    case "left":
      return "You left the call.";
  }
}

export interface CallDeps {
  /** The API's base URL (http or https); the socket URL is made from it. */
  apiUrl: string;
  /** A fresh API token (`POST /auth/token`), sent in the first message: nothing identifying goes in the URL. */
  token(): Promise<string>;
  opening: ConsentOpening;
  seal(text: string, clientId: string): Promise<ChatEntry["message"]>;
  open(entry: ChatEntry, me: CallParty): Promise<ChatMessage>;
  camera(): Promise<MediaStream>;
  screen(): Promise<MediaStream>;
}

interface PendingMessage {
  clientId: string;
  text: string;
  message: ChatEntry["message"];
}

/** Socket reconnection: quick at first, then every few seconds while the network is away. */
const RECONNECT_DELAYS_MS = [250, 1_000, 2_000, 4_000];

export class ConsultCall {
  state: CallState = { kind: "idle" };
  party: CallParty | null = null;
  local: MediaStream | null = null;
  remote: MediaStream | null = null;
  muted = false;
  cameraOff = false;
  sharingScreen = false;
  messages: ChatMessage[] = [];
  pending: PendingMessage[] = [];
  /** Frames of the other party's video decoded so far (getStats), shown as the call's quality line. */
  framesDecoded = 0;
  unreadable = 0;

  private socket: WebSocket | null = null;
  private pc: RTCPeerConnection | null = null;
  private iceServers: IceServer[] = [];
  private readonly callId = newChatClientId();
  private peerCallId: string | null = null;
  private lastSeq = 0;
  private attempts = 0;
  private stopped = false;
  private screenTrack: MediaStreamTrack | null = null;
  private queuedCandidates: RTCIceCandidateInit[] = [];
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly onOnline = () => this.reconnectNow();

  constructor(private readonly deps: CallDeps) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.set({ kind: "connecting" });
    this.local = await this.deps.camera();
    this.changed();
    window.addEventListener("online", this.onOnline);
    this.statsTimer = setInterval(() => void this.readStats(), 1_000);
    await this.connect();
  }

  toggleMute(): void {
    this.muted = !this.muted;
    for (const track of this.local?.getAudioTracks() ?? []) track.enabled = !this.muted;
    this.changed();
  }

  toggleCamera(): void {
    this.cameraOff = !this.cameraOff;
    for (const track of this.local?.getVideoTracks() ?? []) track.enabled = !this.cameraOff;
    this.changed();
  }

  /** Sends the screen instead of the camera until sharing stops (here, or from the browser's own bar). */
  async toggleScreen(): Promise<void> {
    if (this.screenTrack) return this.stopScreen();
    const screen = await this.deps.screen();
    const track = screen.getVideoTracks()[0];
    if (!track) return;
    this.screenTrack = track;
    track.addEventListener("ended", () => void this.stopScreen());
    await this.videoSender()?.replaceTrack(track);
    this.sharingScreen = true;
    this.changed();
  }

  async send(text: string): Promise<void> {
    const clientId = newChatClientId();
    const message = await this.deps.seal(text, clientId);
    this.pending.push({ clientId, text, message });
    this.changed();
    this.transmit({ t: "chat", clientId, message });
  }

  hangUp(): void {
    this.stop({ kind: "left" });
  }

  private async stopScreen(): Promise<void> {
    const track = this.screenTrack;
    if (!track) return;
    this.screenTrack = null;
    track.stop();
    await this.videoSender()?.replaceTrack(this.local?.getVideoTracks()[0] ?? null);
    this.sharingScreen = false;
    this.changed();
  }

  private videoSender(): RTCRtpSender | undefined {
    return this.pc?.getSenders().find((sender) => sender.track?.kind === "video" || (sender.track === null && this.screenTrack !== null));
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let token: string;
    try {
      token = await this.deps.token();
    } catch (error) {
      this.retryLater();
      console.warn("consult: no API token", error);
      return;
    }
    const url = `${this.deps.apiUrl.replace(/^http/, "ws")}${CONSULT_SOCKET_PATH}`;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      const join: ClientMessage = { t: "join", token, opening: this.deps.opening, callId: this.callId, after: this.lastSeq };
      socket.send(JSON.stringify(join));
    };
    socket.onmessage = (event) => void this.receive(JSON.parse(String(event.data)) as ServerMessage);
    socket.onclose = (event) => {
      if (this.socket !== socket || this.stopped) return;
      this.socket = null;
      // Refused or ended by the API: the `ended` message said why and stop() ran. Anything else: the network.
      if (event.code === CONSULT_CLOSE.REFUSED || event.code === CONSULT_CLOSE.ENDED || event.code === CONSULT_CLOSE.REPLACED) return;
      this.set({ kind: "reconnecting" });
      this.retryLater();
    };
  }

  private retryLater(): void {
    const delay = RECONNECT_DELAYS_MS[Math.min(this.attempts++, RECONNECT_DELAYS_MS.length - 1)]!;
    setTimeout(() => void (this.socket ? undefined : this.connect()), delay);
  }

  private reconnectNow(): void {
    if (!this.stopped && !this.socket) void this.connect();
  }

  private transmit(message: ClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private async receive(message: ServerMessage): Promise<void> {
    switch (message.t) {
      case "joined":
        this.attempts = 0;
        this.party = message.party;
        this.iceServers = message.iceServers;
        for (const entry of message.history) await this.file(entry);
        // Messages that never got their acknowledgement go again, under the same client IDs: never twice.
        for (const pending of this.pending) this.transmit({ t: "chat", clientId: pending.clientId, message: pending.message });
        if (message.peer) await this.peerArrived(message.peer.callId);
        else this.set({ kind: this.pc?.connectionState === "connected" ? "reconnecting" : "waiting" });
        return;
      case "peer":
        if (message.present) await this.peerArrived(message.callId);
        else if (this.state.kind !== "ended") this.set({ kind: "waiting" });
        return;
      case "signal":
        return this.onSignal(message.signal);
      case "chat":
        return this.file(message.entry);
      case "error":
        console.warn(`consult: ${message.code}: ${message.detail}`);
        return;
      case "ended":
        this.stop({ kind: "ended", code: message.code, detail: message.detail });
        return;
    }
  }

  /**
   * The other party is in the room. Another browser connection than before (a reload, a first join): a new
   * peer connection. The same one back on a new socket (a network change): the doctor restarts ICE on the
   * connection there is, so media resume without renegotiating everything.
   */
  private async peerArrived(peerCallId: string): Promise<void> {
    const sameBrowser = this.pc !== null && this.peerCallId === peerCallId;
    this.peerCallId = peerCallId;
    if (!sameBrowser) this.newPeerConnection();
    this.set({ kind: this.pc!.connectionState === "connected" ? "connected" : "negotiating" });
    // An offer already under way (both joined at once) is not offered over: its answer is coming.
    if (this.party === "doctor" && this.pc!.signalingState === "stable") await this.offer(sameBrowser);
  }

  private newPeerConnection(): void {
    this.pc?.close();
    this.queuedCandidates = [];
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    this.pc = pc;
    const camera = this.local!;
    for (const track of camera.getTracks()) pc.addTrack(this.screenTrack && track.kind === "video" ? this.screenTrack : track, camera);
    this.remote = new MediaStream();
    pc.ontrack = (event) => {
      if (this.pc !== pc) return;
      this.remote!.addTrack(event.track);
      this.changed();
    };
    pc.onicecandidate = (event) => {
      if (this.pc === pc && event.candidate) this.transmit({ t: "signal", signal: { candidate: event.candidate.toJSON() as Extract<Signal, { candidate: unknown }>["candidate"] } });
    };
    pc.onconnectionstatechange = () => {
      if (this.pc !== pc || this.stopped) return;
      if (pc.connectionState === "connected") this.set({ kind: "connected" });
      else if (pc.connectionState === "failed" || pc.connectionState === "disconnected") {
        this.set({ kind: "reconnecting" });
        if (this.party === "doctor") void this.offer(true);
        else this.transmit({ t: "signal", signal: { restart: true } });
      }
    };
    this.changed();
  }

  private async offer(iceRestart: boolean): Promise<void> {
    const pc = this.pc;
    if (!pc) return;
    const offer = await pc.createOffer({ iceRestart });
    await pc.setLocalDescription(offer);
    this.transmit({ t: "signal", signal: { description: { type: "offer", sdp: offer.sdp ?? "" } } });
  }

  private async onSignal(signal: Signal): Promise<void> {
    const pc = this.pc;
    if (!pc) return;
    if ("restart" in signal) {
      if (this.party === "doctor") await this.offer(true);
      return;
    }
    if ("candidate" in signal) {
      if (pc.remoteDescription) await pc.addIceCandidate(signal.candidate).catch((error: unknown) => console.warn("consult: candidate refused", error));
      else this.queuedCandidates.push(signal.candidate);
      return;
    }
    await pc.setRemoteDescription(signal.description);
    for (const candidate of this.queuedCandidates.splice(0)) await pc.addIceCandidate(candidate).catch(() => undefined);
    if (signal.description.type === "offer") {
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      this.transmit({ t: "signal", signal: { description: { type: "answer", sdp: answer.sdp ?? "" } } });
    }
  }

  /** Files a stored message by its seq (once, whether relayed, acknowledged or in a rejoin's history). */
  private async file(entry: ChatEntry): Promise<void> {
    this.lastSeq = Math.max(this.lastSeq, entry.seq);
    if (this.party === null || this.messages.some((m) => m.seq === entry.seq)) return;
    this.pending = this.pending.filter((p) => !(entry.from === this.party && p.clientId === entry.clientId));
    try {
      const opened = await this.deps.open(entry, this.party);
      if (this.messages.some((m) => m.seq === entry.seq)) return;
      this.messages = [...this.messages, opened].sort((a, b) => a.seq - b.seq);
    } catch (error) {
      this.unreadable++;
      console.warn("consult: a chat message did not open", error);
    }
    this.changed();
  }

  private async readStats(): Promise<void> {
    const pc = this.pc;
    if (!pc) return;
    let frames = 0;
    (await pc.getStats()).forEach((report: { type: string; kind?: string; framesDecoded?: number }) => {
      if (report.type === "inbound-rtp" && report.kind === "video") frames += report.framesDecoded ?? 0;
    });
    if (frames !== this.framesDecoded) {
      this.framesDecoded = frames;
      this.changed();
    }
  }

  private stop(state: CallState): void {
    this.stopped = true;
    window.removeEventListener("online", this.onOnline);
    if (this.statsTimer) clearInterval(this.statsTimer);
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
    this.pc?.close();
    this.pc = null;
    this.screenTrack?.stop();
    this.screenTrack = null;
    this.sharingScreen = false;
    for (const track of this.local?.getTracks() ?? []) track.stop();
    this.set(state);
  }

  private set(state: CallState): void {
    if (this.stopped && state.kind !== "ended" && state.kind !== "left") return;
    this.state = state;
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
