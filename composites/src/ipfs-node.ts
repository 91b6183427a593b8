import { create, type IPFS } from "ipfs-core";
import { HttpApi } from "ipfs-http-server";
import { checkRpcRequest } from "./ipfs-rpc-guard.js";

/** A js-ipfs node with its repo on disk and a Kubo-compatible RPC API on loopback. */
export interface RunningIpfs {
  ipfs: IPFS;
  /** Base URL of the Kubo RPC API (`http://127.0.0.1:5001`). */
  rpcUrl: string;
  stop(): Promise<void>;
}

export interface IpfsNodeOptions {
  repoDir: string;
  host: string;
  port: number;
  corsOrigins: string[];
  /** The token of the platform's own clients for the restricted RPC endpoints (see ipfs-rpc-guard.ts). */
  rpcToken?: string;
}

interface HapiServerInfo {
  info: { port: number };
}

interface HapiRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
}
interface HapiToolkit {
  continue: symbol;
  response(body: string): { code(status: number): { type(mime: string): { takeover(): unknown } } };
}
interface HapiServer {
  ext(event: "onRequest", method: (request: HapiRequest, h: HapiToolkit) => unknown): void;
  match(method: string, path: string): { settings: { payload?: { maxBytes?: number } } } | null;
}

/**
 * The largest `block/put` request body: a 1 MiB block (Kubo's block size limit, and the sdk's leaf size)
 * plus its multipart envelope. js-ipfs leaves the route at Hapi's default of 1 MiB for the whole body, so
 * a browser's 1 MiB block (sent with its Content-Length) got 413; Node's streamed body was not checked.
 */
const BLOCK_PUT_MAX_BYTES = 1024 * 1024 + 64 * 1024;
type CreateApiServer = (host: string, port: string, ipfs: IPFS, cors: Record<string, unknown>) => Promise<HapiServer>;

/**
 * js-ipfs's RPC server serves every endpoint to every caller. Its servers are made by `_createApiServer`
 * and started right after: the guard is installed in between, so no request is ever served unchecked.
 */
function guardedHttpApi(ipfs: IPFS, options: IpfsNodeOptions): HttpApi {
  const http = new HttpApi(ipfs);
  const internals = http as unknown as { _createApiServer: CreateApiServer };
  const create = internals._createApiServer;
  internals._createApiServer = async (...args) => {
    const server = await create(...args);
    const blockPut = server.match("POST", "/api/v0/block/put");
    if (blockPut?.settings.payload) blockPut.settings.payload.maxBytes = BLOCK_PUT_MAX_BYTES;
    server.ext("onRequest", (request, h) => {
      const verdict = checkRpcRequest(
        { method: request.method, path: request.path, origin: request.headers.origin, authorization: request.headers.authorization },
        { allowedOrigins: options.corsOrigins, token: options.rpcToken },
      );
      if (verdict.ok) return h.continue;
      return h.response(JSON.stringify({ Message: verdict.reason, Code: 0, Type: "error" })).code(verdict.status).type("application/json").takeover();
    });
    return server;
  };
  return http;
}

export async function startIpfsNode(options: IpfsNodeOptions): Promise<RunningIpfs> {
  const ipfs = await create({
    repo: options.repoDir,
    // The repo may have been written by an older run: its config is merged with this one on open,
    // so ports and origins always follow the current configuration.
    config: {
      Addresses: {
        API: `/ip4/${options.host}/tcp/${options.port}`,
        Gateway: "",
        // libp2p must listen somewhere for Ceramic's pubsub; loopback only, no peers are dialled.
        Swarm: [`/ip4/${options.host}/tcp/0`],
        Delegates: [],
      },
      Bootstrap: [],
      Discovery: { MDNS: { Enabled: false }, webRTCStar: { Enabled: false } },
      API: { HTTPHeaders: { "Access-Control-Allow-Origin": options.corsOrigins } },
      Pubsub: { Enabled: true },
    },
    preload: { enabled: false },
    relay: { enabled: false, hop: { enabled: false } },
    start: true,
    silent: true,
  });
  const http = guardedHttpApi(ipfs, options);
  try {
    await http.start();
  } catch (error) {
    await ipfs.stop();
    throw error;
  }
  const servers = (http as unknown as { _apiServers: HapiServerInfo[] })._apiServers;
  const boundPort = servers[0]?.info.port;
  if (boundPort === undefined) {
    await Promise.allSettled([http.stop(), ipfs.stop()]);
    throw new Error("the IPFS RPC server did not report its port");
  }
  return {
    ipfs,
    rpcUrl: `http://${options.host}:${boundPort}`,
    async stop() {
      await http.stop();
      await ipfs.stop();
    },
  };
}
