import { timingSafeEqual } from "node:crypto";

/**
 * Who may call what on the local IPFS node's Kubo RPC API. Everything the web app, the API and the sdk
 * need (add with pin, block put and pin add, which the sdk's uploads use, cat, reads, id, version) is open
 * on loopback. Everything else (pin rm, repo gc,
 * files rm, swarm, name, shutdown...) needs the platform's own token, `Authorization: Bearer <token>`
 * as Kubo's `API.Authorizations` takes it, and is never served to a browser page. The node's
 * configuration (which holds `Identity.PrivKey`) and its keys are not served at all: nothing needs them.
 */
export interface RpcGuardOptions {
  /** Browser origins (the web app's) allowed to call the open endpoints. */
  allowedOrigins: readonly string[];
  /** The token of the platform's own clients for the restricted endpoints; unset: they are refused. */
  token: string | undefined;
}

export interface RpcRequest {
  method: string;
  path: string;
  origin: string | undefined;
  authorization: string | undefined;
}

export type RpcVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** Add (the sdk pins what it adds; it sends a file as blocks, then pins their root), read, and name the node:
 * what the platform's clients call. Pinning adds, never removes: unpinning and GC stay behind the token. */
export const OPEN_ENDPOINTS: ReadonlySet<string> = new Set(
  ["add", "block/put", "pin/add", "cat", "get", "ls", "id", "version", "block/get", "block/stat", "dag/get", "dag/resolve", "object/stat"].map((name) => `/api/v0/${name}`),
);
const NEVER = /^\/api\/v0\/(config|key)(\/|$)/;

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function checkRpcRequest(request: RpcRequest, options: RpcGuardOptions): RpcVerdict {
  // Normalized only to find the endpoints refused outright under any spelling the router might accept.
  let normalized: string;
  try {
    normalized = decodeURIComponent(request.path).toLowerCase().replace(/\/{2,}/g, "/");
  } catch {
    return { ok: false, status: 403, reason: "the path is not valid percent-encoding" };
  }
  if (NEVER.test(normalized)) return { ok: false, status: 403, reason: "the node's configuration and keys are not served over RPC" };
  // A browser sends Origin with every cross-origin request, simple POSTs included: a page the platform
  // does not serve gets nothing, not even an answer it cannot read.
  if (request.origin !== undefined && !options.allowedOrigins.includes(request.origin)) {
    return { ok: false, status: 403, reason: `origin ${request.origin} may not call this node` };
  }
  if (OPEN_ENDPOINTS.has(request.path) || request.method.toLowerCase() === "options") return { ok: true };
  if (request.origin !== undefined) return { ok: false, status: 403, reason: `${request.path} is not served to browsers` };
  const bearer = /^Bearer (\S+)$/i.exec(request.authorization ?? "")?.[1];
  if (options.token === undefined || bearer === undefined || !sameToken(bearer, options.token)) {
    return { ok: false, status: 401, reason: `${request.path} needs the platform's RPC token (Authorization: Bearer <token>)` };
  }
  return { ok: true };
}
