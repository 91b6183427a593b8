import websocket from "@fastify/websocket";
import type { FastifyPluginAsync } from "fastify";
import { ClientMessageSchema, CONSULT_CLOSE, CONSULT_MESSAGE_MAX_BYTES, CONSULT_SOCKET_PATH, type ClientMessage, type ServerMessage } from "@openchart/sdk";
import { Compile } from "typebox/compile";
import type { WebSocket } from "ws";
import { ApiError } from "../errors.js";
import type { SignIn } from "../auth/sign-in.js";
import type { ConsultAdmission } from "./admission.js";
import type { CallSocket, Member, SignalingHub } from "./signaling.js";

export interface SocketRoutesOptions {
  signIn: SignIn;
  admission: ConsultAdmission;
  hub: SignalingHub;
  /** Browser origins allowed to open the socket (API_CORS_ORIGINS); a request without Origin is no browser page's. */
  corsOrigins: readonly string[];
  /** How long a socket may stay open without a `join` (ms). */
  joinTimeoutMs?: number;
}

const clientMessage = Compile(ClientMessageSchema);
/** Dead sockets (a laptop closed, a network gone) are found by a ping each period unanswered. */
const HEARTBEAT_MS = 15_000;

/**
 * `GET /consults/signal` (WebSocket): the peer-to-peer call's signaling and chat. The URL carries nothing
 * about who calls (no DID, no token: access logs keep URLs); the first message does: `join` with an API
 * token and the consent's opening, admitted exactly as the token route admits (admission.ts). A refusal is
 * an `ended` message with the API's error code, then close code 4403. A page of another origin may not
 * open it (browsers send Origin on a WebSocket; CORS does not apply to sockets).
 */
export const socketRoutes: FastifyPluginAsync<SocketRoutesOptions> = async (app, { signIn, admission, hub, corsOrigins, joinTimeoutMs = 10_000 }) => {
  await app.register(websocket, { options: { maxPayload: CONSULT_MESSAGE_MAX_BYTES } });
  const anyOrigin = corsOrigins.includes("*");
  const heartbeat = setInterval(() => {
    for (const client of app.websocketServer.clients as Set<WebSocket & { alive?: boolean }>) {
      if (client.alive === false) client.terminate();
      else {
        client.alive = false;
        client.ping();
      }
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  app.addHook("onClose", async () => {
    clearInterval(heartbeat);
    hub.close();
  });

  app.get(
    CONSULT_SOCKET_PATH,
    {
      websocket: true,
      schema: { summary: "The consult call's signaling and chat socket (WebSocket; first message: join with an API token and the consent's opening)", tags: ["consults"] },
      onRequest: async (request, reply) => {
        const origin = request.headers.origin;
        if (origin !== undefined && !anyOrigin && !corsOrigins.includes(origin)) {
          await reply.code(403).type("application/problem+json").send({ type: "about:blank", title: "Not allowed", status: 403, code: "FORBIDDEN", detail: "this origin may not open the consult socket" });
        }
      },
    },
    (ws, request) => {
      const socket = ws as WebSocket & { alive?: boolean };
      socket.alive = true;
      socket.on("pong", () => (socket.alive = true));
      const peerSocket: CallSocket = {
        send: (message: ServerMessage) => {
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
        },
        close: (code) => socket.close(code),
      };
      const refuse = (code: string, detail: string, closeCode: number = CONSULT_CLOSE.REFUSED) => {
        peerSocket.send({ t: "ended", code, detail });
        socket.close(closeCode);
      };
      let member: Member | undefined;
      let joining = false;
      const joinTimer = setTimeout(() => refuse("UNAUTHORIZED", "no join message came in time"), joinTimeoutMs);
      socket.on("close", () => {
        clearTimeout(joinTimer);
        if (member) hub.leave(member);
      });

      const join = async (message: Extract<ClientMessage, { t: "join" }>) => {
        joining = true;
        try {
          const caller = await signIn.callerOfToken(message.token);
          const admitted = await admission.admit(caller, message.opening, "consult.call");
          if (socket.readyState !== socket.OPEN) return;
          clearTimeout(joinTimer);
          member = await hub.join(peerSocket, admitted, message.callId, message.after ?? 0);
        } catch (error) {
          if (error instanceof ApiError) return refuse(error.code, error.message);
          request.log.error({ err: error }, "consult join failed");
          refuse("INTERNAL", "the call could not be joined", 1011);
        }
      };

      socket.on("message", (data, isBinary) => {
        let message: unknown;
        try {
          message = isBinary ? undefined : JSON.parse(data.toString());
        } catch {
          message = undefined;
        }
        if (!clientMessage.Check(message)) {
          if (!member) return refuse("INVALID_REQUEST", "not a consult message (JSON: join first, then signal or chat)", CONSULT_CLOSE.BAD_MESSAGE);
          return peerSocket.send({ t: "error", code: "INVALID_REQUEST", detail: "not a consult message (signal or chat)" });
        }
        if (message.t === "join") {
          if (joining) return refuse("INVALID_REQUEST", "join only once per socket", CONSULT_CLOSE.BAD_MESSAGE);
          return void join(message);
        }
        if (!member) return refuse("INVALID_REQUEST", "join first", CONSULT_CLOSE.BAD_MESSAGE);
        if (message.t === "signal") return hub.relay(member, message.signal);
        const sender = member;
        hub.chat(sender, message.clientId, message.message).catch((error: unknown) => {
          request.log.error({ err: error }, "consult chat message not stored");
          peerSocket.send({ t: "error", code: "SERVICE_UNAVAILABLE", detail: "the message was not stored: send it again", clientId: message.clientId });
        });
      });
    },
  );
};
