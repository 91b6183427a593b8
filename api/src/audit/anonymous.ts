import { createHmac, randomBytes } from "node:crypto";
import type { FastifyRequest } from "fastify";

/** The audit subject of every decision about a caller the API could not verify. */
export const ANONYMOUS_SUBJECT = "anonymous";

/** Turns a client address into an opaque tag: refusals from one address group together, the address itself is never stored. */
export type IpHasher = (ip: string) => string;

/**
 * An HMAC of the address under `API_AUDIT_IP_SALT`, or under a random per-process salt when none is
 * set (tags then group refusals within one run only). Salted, because the IPv4 space is small enough to
 * reverse a plain hash.
 */
export function ipHasher(salt: string | undefined): IpHasher {
  const key = salt ?? randomBytes(32).toString("hex");
  return (ip) => createHmac("sha256", key).update(ip).digest("hex").slice(0, 32);
}

/**
 * Who an unverified request is, for the audit log: `anonymous` and its address tag, never a DID or an
 * address it names (a stranger must not write into a patient's audit trail by naming her).
 */
export function anonymousOrigin(request: FastifyRequest, hashIp: IpHasher): { subject: typeof ANONYMOUS_SUBJECT; ipHash: string } {
  return { subject: ANONYMOUS_SUBJECT, ipHash: hashIp(request.ip) };
}
