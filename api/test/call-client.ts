import { randomBytes } from "node:crypto";
import WebSocket from "ws";
import { CONSULT_SOCKET_PATH, type ClientMessage, type ConsentOpening, type ServerMessage } from "@openchart/sdk";

/** A consult socket as a test (or the bench) drives it: every message kept, awaited by predicate. */
export interface CallClient {
  socket: WebSocket;
  messages: ServerMessage[];
  send(message: ClientMessage | Record<string, unknown>): void;
  /** The first message (kept or to come) that matches, after the `skip` first matches. */
  next<T extends ServerMessage["t"]>(t: T, where?: (m: Extract<ServerMessage, { t: T }>) => boolean): Promise<Extract<ServerMessage, { t: T }>>;
  /** The close code once the socket closes. */
  closed: Promise<number>;
  close(): void;
}

export const newCallId = () => randomBytes(12).toString("base64url");

export function openCallSocket(apiUrl: string, headers: Record<string, string> = {}): Promise<CallClient> {
  const socket = new WebSocket(`${apiUrl.replace(/^http/, "ws")}${CONSULT_SOCKET_PATH}`, { headers });
  const messages: ServerMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on("message", (data) => {
    messages.push(JSON.parse(data.toString()) as ServerMessage);
    for (const wake of waiters) wake();
  });
  const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
  const client: CallClient = {
    socket,
    messages,
    send: (message) => socket.send(JSON.stringify(message)),
    next: (t, where = () => true) =>
      new Promise((resolve, reject) => {
        const look = () => {
          const found = messages.find((m) => m.t === t && where(m as never));
          if (found) {
            waiters.delete(look);
            clearTimeout(timer);
            resolve(found as never);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(look);
          reject(new Error(`no "${t}" message came; got ${JSON.stringify(messages)}`));
        }, 15_000);
        waiters.add(look);
        look();
      }),
    closed,
    close: () => socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve(client));
    socket.once("unexpected-response", (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
    socket.once("error", reject);
  });
}

/** Opens a socket and joins with `token` for `opening`. */
export async function joinCall(apiUrl: string, token: string, opening: ConsentOpening, options: { callId?: string; after?: number } = {}): Promise<CallClient> {
  const client = await openCallSocket(apiUrl);
  client.send({ t: "join", token, opening, callId: options.callId ?? newCallId(), ...(options.after === undefined ? {} : { after: options.after }) });
  return client;
}
