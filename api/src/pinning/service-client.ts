import { Configuration, RemotePinningServiceClient, Status, type PinStatus } from "@ipfs-shipyard/pinning-service-client";
import type { PinningService } from "./config.js";

/** A pin request as the service reports it. */
export interface RemoteStatus {
  requestId: string;
  status: "queued" | "pinning" | "pinned" | "failed";
}

/** What is sent for one ciphertext: its CID, a random name and the origins. No meta, nothing else. */
export interface PinObject {
  cid: string;
  name: string;
  origins: string[];
}

/**
 * A failed call to the service: `status` is the HTTP status (undefined: no answer, a timeout or a
 * refused connection). `permanent` when repeating the same request cannot help (400: the service
 * refuses this pin object).
 */
export class PinServiceError extends Error {
  override readonly name = "PinServiceError";
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** The calls the pinner makes, each one request of the IPFS Pinning Service API. */
export interface RemotePinning {
  /** `POST /pins`. */
  add(pin: PinObject): Promise<RemoteStatus>;
  /** `GET /pins/{requestid}`; null when the service does not know it (404). */
  status(requestId: string): Promise<RemoteStatus | null>;
  /** `GET /pins?cid=…&name=…` in every status: the request a crash left unrecorded, if it landed. */
  find(pin: Pick<PinObject, "cid" | "name">): Promise<RemoteStatus | null>;
  /** `POST /pins/{requestid}`: a new request in place of one (the service drops the old one). */
  replace(requestId: string, pin: PinObject): Promise<RemoteStatus>;
  /** `DELETE /pins/{requestid}`; a request the service no longer knows (404) counts as removed. */
  remove(requestId: string): Promise<void>;
}

const ALL_STATUSES = [Status.Queued, Status.Pinning, Status.Pinned, Status.Failed];

/**
 * The pinner's client: the maintained generated client of the spec (`@ipfs-shipyard/pinning-service-client`),
 * with a timeout on every call and its thrown `Response`s turned into `PinServiceError`s whose message
 * carries the status and the service's reason, never the token.
 */
export function pinningServiceClient(service: PinningService, timeoutMs: number): RemotePinning {
  const client = new RemotePinningServiceClient(new Configuration({ endpointUrl: service.url, accessToken: service.token }));
  const init = () => ({ signal: AbortSignal.timeout(timeoutMs) });
  const call = async <T>(what: string, run: () => Promise<T>, onNotFound?: () => T): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof Response) {
        if (error.status === 404 && onNotFound) return onNotFound();
        const reason = await failureReason(error);
        throw new PinServiceError(`${what}: the pinning service answered ${error.status}${reason ? ` ${reason}` : ""}`, error.status, error.status === 400);
      }
      // The patient reads this reason (GET /pins/:cid): it says what failed, not where the service lives.
      const message = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : "connection failed";
      throw new PinServiceError(`${what}: the pinning service could not be reached (${message})`, undefined, false);
    }
  };
  return {
    add: (pin) => call("POST /pins", async () => remote(await client.pinsPost({ pin }, init()))),
    status: (requestId) => call("GET /pins/{requestid}", async () => remote(await client.pinsRequestidGet({ requestid: requestId }, init())), () => null),
    find: ({ cid, name }) =>
      call("GET /pins", async () => {
        const found = await client.pinsGet({ cid: [cid], name, status: ALL_STATUSES, limit: 1 }, init());
        return found.results[0] ? remote(found.results[0]) : null;
      }),
    replace: (requestId, pin) => call("POST /pins/{requestid}", async () => remote(await client.pinsRequestidPost({ requestid: requestId, pin }, init()))),
    remove: (requestId) => call("DELETE /pins/{requestid}", () => client.pinsRequestidDelete({ requestid: requestId }, init()), () => undefined),
  };
}

function remote(pin: PinStatus): RemoteStatus {
  return { requestId: pin.requestid, status: pin.status as RemoteStatus["status"] };
}

/** The spec's `Failure.error.reason` (e.g. INSUFFICIENT_FUNDS), if the body is one. */
async function failureReason(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.json()) as { error?: { reason?: unknown } };
    const reason = body.error?.reason;
    return typeof reason === "string" ? reason.slice(0, 80) : undefined;
  } catch {
    return undefined;
  }
}
